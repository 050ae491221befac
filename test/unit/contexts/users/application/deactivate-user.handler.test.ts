import { describe, expect, it } from 'vitest';
import type { DeactivateUserCommand } from '../../../../../src/contexts/users/application/deactivate-user/deactivate-user.command.js';
import { DeactivateUserHandler } from '../../../../../src/contexts/users/application/deactivate-user/deactivate-user.handler.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersSpec } from '../../../../support/in-memory/users-fixture.js';

const spec = usersSpec((f) => new DeactivateUserHandler(f.uow, f.clock));
const deactivate = (userId: string): DeactivateUserCommand => ({ type: 'users.deactivate_user', userId });

describe('DeactivateUserHandler', () => {
  it('deactivates an active user, answers the new version and appends users.user.deactivated', async () => {
    const user = UserMother.persisted();
    const { stored } = await spec
      .given(user)
      .when(deactivate(user.id))
      .then({
        result: { resourceId: user.id, version: 2 },
        events: [UserMother.event(UserEventTypes.deactivated, user.id, 2)],
      });
    expect(await stored(user.id)).toMatchObject({ status: 'deactivated', version: 2 });
  });

  it('records no event and keeps the version for a user already deactivated', async () => {
    const user = UserMother.deactivated();
    const { stored } = await spec
      .given(user)
      .when(deactivate(user.id))
      .then({ result: { resourceId: user.id, version: 2 }, events: [] });
    expect(await stored(user.id)).toEqual(user.snapshot());
  });
});
