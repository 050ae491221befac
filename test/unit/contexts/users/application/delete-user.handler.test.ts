import { describe, expect, it } from 'vitest';
import { DeleteUserHandler } from '../../../../../src/contexts/users/application/delete-user/delete-user.handler.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersSpec } from '../../../../support/in-memory/users-fixture.js';

// The erasure's result, its event and the failures every user change shares: user-changes.test.ts.
describe('DeleteUserHandler', () => {
  it('keeps no personal data of the erased user, in storage or in the event', async () => {
    const user = UserMother.persisted({ email: 'ada@example.com', firstName: 'Augusta' });
    const { users, outbox } = await usersSpec((f) => new DeleteUserHandler(f.uow, f.clock))
      .given(user)
      .when({ type: 'users.delete_user', userId: user.id })
      .then({ result: { resourceId: user.id, version: null } });
    const kept = JSON.stringify([...users.rows.values(), ...outbox.events]);
    for (const personal of ['ada@example.com', user.username, 'Augusta', user.passwordHash]) {
      expect(kept).not.toContain(personal);
    }
  });
});
