import { describe, expect, it } from 'vitest';
import type { DeleteUserCommand } from '../../../../../src/contexts/users/application/delete-user/delete-user.command.js';
import { DeleteUserHandler } from '../../../../../src/contexts/users/application/delete-user/delete-user.handler.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersSpec } from '../../../../support/in-memory/users-fixture.js';

const spec = usersSpec((f) => new DeleteUserHandler(f.uow, f.clock));
const remove = (userId: string): DeleteUserCommand => ({ type: 'users.delete_user', userId });

describe('DeleteUserHandler', () => {
  it('erases the user, answers a null version and appends users.user.deleted with no personal data', async () => {
    const user = UserMother.persisted({ email: 'ada@example.com' });
    const { stored, users } = await spec
      .given(user)
      .when(remove(user.id))
      .then({
        result: { resourceId: user.id, version: null },
        events: [UserMother.event(UserEventTypes.deleted, user.id, 2)],
      });
    expect(await stored(user.id)).toBeUndefined();
    expect(JSON.stringify([...users.rows.values()])).not.toContain('ada@example.com');
  });
});
