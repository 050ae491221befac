import { describe, expect, it } from 'vitest';
import { DeleteUserHandler } from '../../../../../src/contexts/users/application/delete-user/delete-user.handler.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersFixture } from '../../../../support/in-memory/users-fixture.js';

function setup(options: { failingOutbox?: boolean } = {}) {
  const fixture = usersFixture(options);
  return { ...fixture, handler: new DeleteUserHandler(fixture.uow, fixture.clock) };
}

const remove = (userId: string) => ({ type: 'users.delete_user', userId }) as const;

describe('DeleteUserHandler', () => {
  it('erases the user and answers a null version', async () => {
    const { handler, seed, users } = setup();
    const user = await seed(UserMother.persisted());
    await expect(handler.handle(remove(user.id))).resolves.toEqual({ resourceId: user.id, version: null });
    expect(await users.findById(user.id)).toBeNull();
  });

  it('keeps no personal data of the erased user', async () => {
    const { handler, seed, users } = setup();
    const user = await seed(UserMother.persisted({ email: 'ada@example.com' }));
    await handler.handle(remove(user.id));
    expect(JSON.stringify([...users.rows.values()])).not.toContain('ada@example.com');
  });

  it('appends users.user.deleted, with no personal data, to the outbox', async () => {
    const { handler, seed, outbox, clock } = setup();
    const user = await seed(UserMother.persisted());
    await handler.handle(remove(user.id));
    expect(outbox.events).toEqual([
      {
        type: UserEventTypes.deleted,
        version: 1,
        occurredAt: clock.now(),
        aggregateId: user.id,
        aggregateVersion: 2,
        data: {},
      },
    ]);
  });

  it('refuses an unknown user with not_found', async () => {
    const { handler } = setup();
    await expect(handler.handle(remove(UserMother.id()))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a user already deleted with not_found', async () => {
    const { handler, seed } = setup();
    const user = await seed(UserMother.persisted());
    await handler.handle(remove(user.id));
    await expect(handler.handle(remove(user.id))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps the user when the outbox append fails', async () => {
    const { handler, seed, users } = setup({ failingOutbox: true });
    const user = await seed(UserMother.persisted());
    await expect(handler.handle(remove(user.id))).rejects.toThrow('outbox unavailable');
    expect((await users.findById(user.id))?.version).toBe(1);
  });
});
