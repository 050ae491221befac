import { describe, expect, it } from 'vitest';
import { ChangeEmailHandler } from '../../../../../src/contexts/users/application/change-email/change-email.handler.js';
import { VerifyEmailHandler } from '../../../../../src/contexts/users/application/verify-email/verify-email.handler.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersSpec } from '../../../../support/in-memory/users-fixture.js';

const verify = usersSpec((f) => new VerifyEmailHandler(f.uow, f.clock));
const change = usersSpec((f) => new ChangeEmailHandler(f.uow, f.clock));

describe('VerifyEmailHandler (users)', () => {
  it('marks the address verified once, with users.user.email_verified', async () => {
    const user = UserMother.persisted({ emailVerified: false });
    const { stored } = await verify
      .given(user)
      .when({ type: 'users.verify_email', userId: user.id })
      .then({
        result: { resourceId: user.id, version: 2 },
        events: [UserMother.event(UserEventTypes.emailVerified, user.id, 2, {})],
      });
    expect((await stored(user.id))!.emailVerified).toBe(true);
  });

  it('records nothing when the address is already verified (a second confirmation)', async () => {
    const user = UserMother.persisted({ emailVerified: true });
    await verify.given(user).when({ type: 'users.verify_email', userId: user.id }).then({ events: [] });
  });
});

describe('ChangeEmailHandler (users)', () => {
  it('moves the account to the new address, verified by the confirmation itself', async () => {
    const user = UserMother.persisted({ emailVerified: false });
    const { stored } = await change
      .given(user)
      .when({ type: 'users.change_email', userId: user.id, email: 'New@Example.com' })
      .then({
        result: { resourceId: user.id, version: 2 },
        events: [UserMother.event(UserEventTypes.emailChanged, user.id, 2, { email: 'new@example.com' })],
      });
    expect(await stored(user.id)).toMatchObject({ email: 'new@example.com', emailVerified: true });
  });

  it('refuses an address another account took meanwhile: email_taken, nothing changes', async () => {
    const user = UserMother.persisted();
    const other = UserMother.persisted({ email: 'taken@example.com' });
    await change
      .given(user, other)
      .when({ type: 'users.change_email', userId: user.id, email: 'taken@example.com' })
      .thenThrows({ code: 'email_taken' });
  });

  it('changes nothing when the address is the current one', async () => {
    const user = UserMother.persisted({ email: 'same@example.com' });
    await change
      .given(user)
      .when({ type: 'users.change_email', userId: user.id, email: 'same@example.com' })
      .then({ events: [] });
  });
});
