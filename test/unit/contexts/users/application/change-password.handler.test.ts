import { describe, expect, it } from 'vitest';
import type { ChangePasswordCommand } from '../../../../../src/contexts/users/application/change-password/change-password.command.js';
import { ChangePasswordHandler } from '../../../../../src/contexts/users/application/change-password/change-password.handler.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { CLOCK_START } from '../../../../support/in-memory/fixed-clock.js';
import { usersSpec, type UsersFixture } from '../../../../support/in-memory/users-fixture.js';

const NEW_HASH = '$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA';
const A_MINUTE_LATER = new Date(CLOCK_START.getTime() + 60_000);

const spec = usersSpec((f) => new ChangePasswordHandler(f.uow, f.clock));
const change = (userId: string): ChangePasswordCommand => ({
  type: 'users.change_password',
  userId,
  passwordHash: NEW_HASH,
});
const aMinutePasses = ({ clock }: UsersFixture) => clock.advance(60_000);

describe('ChangePasswordHandler (users)', () => {
  it('stores the new hash, answers the new version and appends users.user.password_changed', async () => {
    const user = UserMother.persisted();
    const { stored } = await spec
      .given(user, aMinutePasses)
      .when(change(user.id))
      .then({
        result: { resourceId: user.id, version: 2 },
        events: [UserMother.event(UserEventTypes.passwordChanged, user.id, 2, {}, A_MINUTE_LATER)],
      });
    expect(await stored(user.id)).toMatchObject({ passwordHash: NEW_HASH, updatedAt: A_MINUTE_LATER, version: 2 });
  });

  it('never puts the old or the new hash in the event', async () => {
    const user = UserMother.persisted();
    const { outbox } = await spec.given(user).when(change(user.id)).then({});
    const json = JSON.stringify(outbox.events);
    expect(json).not.toContain(NEW_HASH);
    expect(json).not.toContain(user.passwordHash);
  });
});
