import { describe, expect, it } from 'vitest';
import { ChangePasswordHandler } from '../../../../../src/contexts/users/application/change-password/change-password.handler.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersSpec } from '../../../../support/in-memory/users-fixture.js';

const NEW_HASH = '$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA';

// Storing the hash, the event and the failures every user change shares: user-changes.test.ts.
describe('ChangePasswordHandler (users)', () => {
  it('never puts the old or the new hash in the event', async () => {
    const user = UserMother.persisted();
    const { outbox } = await usersSpec((f) => new ChangePasswordHandler(f.uow, f.clock))
      .given(user)
      .when({ type: 'users.change_password', userId: user.id, passwordHash: NEW_HASH })
      .then({});
    const json = JSON.stringify(outbox.events);
    expect(outbox.events).toHaveLength(1);
    expect(json).not.toContain(NEW_HASH);
    expect(json).not.toContain(user.passwordHash);
  });
});
