import { describe, expect, it } from 'vitest';
import type { ChangePasswordCommand } from '../../../../../src/contexts/users/application/change-password/change-password.command.js';
import { ChangePasswordHandler } from '../../../../../src/contexts/users/application/change-password/change-password.handler.js';
import { DeleteUserHandler } from '../../../../../src/contexts/users/application/delete-user/delete-user.handler.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersFixture } from '../../../../support/in-memory/users-fixture.js';

const NEW_HASH = '$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA';

function setup(options: { failingOutbox?: boolean } = {}) {
  const fixture = usersFixture(options);
  return { ...fixture, handler: new ChangePasswordHandler(fixture.uow, fixture.clock) };
}

const change = (userId: string, passwordHash = NEW_HASH): ChangePasswordCommand => ({
  type: 'users.change_password',
  userId,
  passwordHash,
});

describe('ChangePasswordHandler (users)', () => {
  it('stores the new hash and answers the new version', async () => {
    const { handler, seed, users, clock } = setup();
    const user = await seed(UserMother.persisted());
    clock.advance(60_000);
    await expect(handler.handle(change(user.id))).resolves.toEqual({ resourceId: user.id, version: 2 });
    expect((await users.findById(user.id))?.snapshot()).toMatchObject({
      passwordHash: NEW_HASH,
      updatedAt: clock.now(),
      version: 2,
    });
  });

  it('appends users.user.password_changed with empty data', async () => {
    const { handler, seed, outbox, clock } = setup();
    const user = await seed(UserMother.persisted());
    await handler.handle(change(user.id));
    expect(outbox.events).toEqual([
      {
        type: UserEventTypes.passwordChanged,
        version: 1,
        occurredAt: clock.now(),
        aggregateId: user.id,
        aggregateVersion: 2,
        data: {},
      },
    ]);
  });

  it('never puts the old or the new hash in the event', async () => {
    const { handler, seed, outbox } = setup();
    const user = await seed(UserMother.persisted());
    await handler.handle(change(user.id));
    const json = JSON.stringify(outbox.events);
    expect(json).not.toContain(NEW_HASH);
    expect(json).not.toContain(user.passwordHash);
  });

  it('refuses an unknown user with not_found', async () => {
    const { handler, outbox } = setup();
    await expect(handler.handle(change(UserMother.id()))).rejects.toMatchObject({ code: 'not_found' });
    expect(outbox.events).toEqual([]);
  });

  it('refuses a deleted user with not_found', async () => {
    const { handler, seed, uow, clock } = setup();
    const user = await seed(UserMother.persisted());
    await new DeleteUserHandler(uow, clock).handle({ type: 'users.delete_user', userId: user.id });
    await expect(handler.handle(change(user.id))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps the old hash when the outbox append fails', async () => {
    const { handler, seed, users } = setup({ failingOutbox: true });
    const user = await seed(UserMother.persisted());
    await expect(handler.handle(change(user.id))).rejects.toThrow('outbox unavailable');
    expect((await users.findById(user.id))?.snapshot()).toMatchObject({ passwordHash: user.passwordHash, version: 1 });
  });
});
