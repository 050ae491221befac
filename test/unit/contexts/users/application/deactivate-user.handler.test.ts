import { describe, expect, it } from 'vitest';
import { DeactivateUserHandler } from '../../../../../src/contexts/users/application/deactivate-user/deactivate-user.handler.js';
import type { User } from '../../../../../src/contexts/users/domain/user.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { ConcurrentModificationError } from '../../../../../src/contexts/users/domain/user-repository.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { FixedClock } from '../../../../support/in-memory/fixed-clock.js';
import { InMemoryUserRepository } from '../../../../support/in-memory/in-memory-user-repository.js';
import { InMemoryUsersUnitOfWork } from '../../../../support/in-memory/in-memory-users-unit-of-work.js';
import { usersFixture } from '../../../../support/in-memory/users-fixture.js';

function setup(options: { failingOutbox?: boolean } = {}) {
  const fixture = usersFixture(options);
  return { ...fixture, handler: new DeactivateUserHandler(fixture.uow, fixture.clock) };
}

const deactivate = (userId: string) => ({ type: 'users.deactivate_user', userId }) as const;

/** Another writer commits right after this one loaded the user. */
class RacingUserRepository extends InMemoryUserRepository {
  override async findById(id: string): Promise<User | null> {
    const user = await super.findById(id);
    const row = this.rows.get(id);
    if (row) this.rows.set(id, { ...row, version: row.version + 1 });
    return user;
  }
}

describe('DeactivateUserHandler', () => {
  it('deactivates an active user and answers the new version', async () => {
    const { handler, seed, users } = setup();
    const user = await seed(UserMother.persisted());
    await expect(handler.handle(deactivate(user.id))).resolves.toEqual({ resourceId: user.id, version: 2 });
    expect((await users.findById(user.id))?.status).toBe('deactivated');
  });

  it('appends users.user.deactivated to the outbox', async () => {
    const { handler, seed, outbox, clock } = setup();
    const user = await seed(UserMother.persisted());
    await handler.handle(deactivate(user.id));
    expect(outbox.events).toEqual([
      {
        type: UserEventTypes.deactivated,
        version: 1,
        occurredAt: clock.now(),
        aggregateId: user.id,
        aggregateVersion: 2,
        data: {},
      },
    ]);
  });

  it('records no event and keeps the version for a user already deactivated', async () => {
    const { handler, seed, outbox } = setup();
    const user = await seed(UserMother.persisted());
    await handler.handle(deactivate(user.id));
    await expect(handler.handle(deactivate(user.id))).resolves.toEqual({ resourceId: user.id, version: 2 });
    expect(outbox.events).toHaveLength(1);
  });

  it('refuses an unknown user with not_found', async () => {
    const { handler } = setup();
    await expect(handler.handle(deactivate(UserMother.id()))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('leaves the user active when the outbox append fails', async () => {
    const { handler, seed, users } = setup({ failingOutbox: true });
    const user = await seed(UserMother.persisted());
    await expect(handler.handle(deactivate(user.id))).rejects.toThrow('outbox unavailable');
    expect((await users.findById(user.id))?.snapshot()).toMatchObject({ status: 'active', version: 1 });
  });

  it('surfaces a concurrent write as ConcurrentModificationError, so the command is retried, and appends nothing', async () => {
    const uow = new InMemoryUsersUnitOfWork(new RacingUserRepository());
    const user = UserMother.persisted();
    await uow.users.insert(user);
    const handler = new DeactivateUserHandler(uow, new FixedClock());
    await expect(handler.handle(deactivate(user.id))).rejects.toBeInstanceOf(ConcurrentModificationError);
    expect(uow.outbox.events).toEqual([]);
  });
});
