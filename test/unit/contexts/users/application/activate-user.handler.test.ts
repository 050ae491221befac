import { describe, expect, it } from 'vitest';
import { ActivateUserHandler } from '../../../../../src/contexts/users/application/activate-user/activate-user.handler.js';
import { User } from '../../../../../src/contexts/users/domain/user.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersFixture } from '../../../../support/in-memory/users-fixture.js';

function setup(options: { failingOutbox?: boolean } = {}) {
  const fixture = usersFixture(options);
  return { ...fixture, handler: new ActivateUserHandler(fixture.uow, fixture.clock) };
}

const activate = (userId: string) => ({ type: 'users.activate_user', userId }) as const;

/** A user stored deactivated, at version 2. */
function deactivatedUser(): User {
  const user = UserMother.persisted();
  user.deactivate(new Date('2026-01-01T12:00:00Z'));
  return User.restore(user.snapshot());
}

describe('ActivateUserHandler', () => {
  it('activates a deactivated user and answers the new version', async () => {
    const { handler, seed, users } = setup();
    const user = await seed(deactivatedUser());
    await expect(handler.handle(activate(user.id))).resolves.toEqual({ resourceId: user.id, version: 3 });
    expect((await users.findById(user.id))?.status).toBe('active');
  });

  it('appends users.user.activated to the outbox', async () => {
    const { handler, seed, outbox, clock } = setup();
    const user = await seed(deactivatedUser());
    await handler.handle(activate(user.id));
    expect(outbox.events).toEqual([
      {
        type: UserEventTypes.activated,
        version: 1,
        occurredAt: clock.now(),
        aggregateId: user.id,
        aggregateVersion: 3,
        data: {},
      },
    ]);
  });

  it('records no event and keeps the version for a user already active', async () => {
    const { handler, seed, outbox } = setup();
    const user = await seed(UserMother.persisted());
    await expect(handler.handle(activate(user.id))).resolves.toEqual({ resourceId: user.id, version: 1 });
    expect(outbox.events).toEqual([]);
  });

  it('refuses an unknown user with not_found', async () => {
    const { handler } = setup();
    await expect(handler.handle(activate(UserMother.id()))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('leaves the user deactivated when the outbox append fails', async () => {
    const { handler, seed, users } = setup({ failingOutbox: true });
    const user = await seed(deactivatedUser());
    await expect(handler.handle(activate(user.id))).rejects.toThrow('outbox unavailable');
    expect((await users.findById(user.id))?.snapshot()).toMatchObject({ status: 'deactivated', version: 2 });
  });
});
