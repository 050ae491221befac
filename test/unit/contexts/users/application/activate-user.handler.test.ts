import { describe, expect, it } from 'vitest';
import type { ActivateUserCommand } from '../../../../../src/contexts/users/application/activate-user/activate-user.command.js';
import { ActivateUserHandler } from '../../../../../src/contexts/users/application/activate-user/activate-user.handler.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersSpec } from '../../../../support/in-memory/users-fixture.js';

const spec = usersSpec((f) => new ActivateUserHandler(f.uow, f.clock));
const activate = (userId: string): ActivateUserCommand => ({ type: 'users.activate_user', userId });

describe('ActivateUserHandler', () => {
  it('activates a deactivated user, answers the new version and appends users.user.activated', async () => {
    const user = UserMother.deactivated();
    const { stored } = await spec
      .given(user)
      .when(activate(user.id))
      .then({
        result: { resourceId: user.id, version: 3 },
        events: [UserMother.event(UserEventTypes.activated, user.id, 3)],
      });
    expect(await stored(user.id)).toMatchObject({ status: 'active', version: 3 });
  });

  it('records no event and keeps the version for a user already active', async () => {
    const user = UserMother.persisted();
    await spec
      .given(user)
      .when(activate(user.id))
      .then({ result: { resourceId: user.id, version: 1 }, events: [] });
  });
});
