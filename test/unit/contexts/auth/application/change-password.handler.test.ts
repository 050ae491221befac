import { describe, expect, it } from 'vitest';
import {
  ChangePasswordHandler,
  type ChangePasswordRequest,
  type PasswordHashWriter,
} from '../../../../../src/contexts/auth/application/change-password/change-password.handler.js';
import { RevokeUserSessionsHandler } from '../../../../../src/contexts/auth/application/revoke-user-sessions/revoke-user-sessions.handler.js';
import { AuthEventTypes } from '../../../../../src/contexts/auth/domain/auth-events.js';
import { PasswordPolicy } from '../../../../../src/shared/domain/password-policy.js';
import { ACCOUNT_PASSWORD, CredentialsMother } from '../../../../mothers/credentials.mother.js';
import { SessionMother } from '../../../../mothers/session.mother.js';
import { authFixture } from '../../../../support/in-memory/auth-fixture.js';
import { FakePasswordHasher } from '../../../../support/in-memory/fake-password-hasher.js';

const NEW_PASSWORD = 'violet-Harbour-2291';
const COMMON = new Set(['password1234']);

/** Records what the users context was asked to store; can be told to fail. */
class RecordingHashWriter implements PasswordHashWriter {
  readonly replaced: { userId: string; passwordHash: string }[] = [];
  failure: Error | null = null;

  async replace(userId: string, passwordHash: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.replaced.push({ userId, passwordHash });
  }
}

async function setup() {
  const fixture = authFixture();
  const writer = new RecordingHashWriter();
  const handler = new ChangePasswordHandler({
    ...fixture,
    policy: new PasswordPolicy({ contains: (p) => COMMON.has(p) }),
    writer,
    revokeSessions: new RevokeUserSessionsHandler(fixture),
  });
  const account = fixture.seedAccount(
    CredentialsMother.active({ email: 'ada.lovelace@example.com', username: 'countess' }),
  );
  const current = await fixture.seedSession(SessionMother.started({ userId: account.userId }));
  const other = await fixture.seedSession(SessionMother.started({ userId: account.userId }));
  const request = (overrides: Partial<ChangePasswordRequest> = {}): ChangePasswordRequest => ({
    userId: account.userId,
    sessionId: current.id,
    currentPassword: ACCOUNT_PASSWORD,
    newPassword: NEW_PASSWORD,
    ...overrides,
  });
  return { ...fixture, handler, writer, account, current, other, request };
}

describe('ChangePasswordHandler (auth)', () => {
  it('verifies the current password against the stored hash', async () => {
    const { handler, hasher, account, request } = await setup();
    await handler.handle(request());
    expect(hasher.verifyCalls).toEqual([{ hash: account.passwordHash, plain: ACCOUNT_PASSWORD }]);
  });

  it('has the users context store the hash of the new password', async () => {
    const { handler, writer, account, request } = await setup();
    await handler.handle(request());
    expect(writer.replaced).toEqual([
      { userId: account.userId, passwordHash: FakePasswordHasher.hashOf(NEW_PASSWORD) },
    ]);
  });

  it('revokes every other session of the user and keeps this one', async () => {
    const { handler, sessions, current, other, clock, request } = await setup();
    await expect(handler.handle(request())).resolves.toEqual([other.id]);
    expect(sessions.stored(other.id)).toMatchObject({ revokedAt: clock.now(), revokedReason: 'password_changed' });
    expect((await sessions.findById(current.id))?.isActive(clock.now())).toBe(true);
  });

  it('appends auth.session.revoked for the others, then auth.password.changed', async () => {
    const { handler, outbox, account, current, other, clock, request } = await setup();
    await handler.handle(request());
    expect(outbox.events).toEqual([
      expect.objectContaining({
        type: AuthEventTypes.sessionRevoked,
        aggregateId: other.id,
        data: { userId: account.userId, sessionId: other.id, reason: 'password_changed' },
      }),
      {
        type: AuthEventTypes.passwordChanged,
        version: 1,
        occurredAt: clock.now(),
        aggregateId: account.userId,
        aggregateVersion: 0,
        data: { userId: account.userId, sessionId: current.id },
      },
    ]);
  });

  it('never puts a password or a hash in an event', async () => {
    const { handler, outbox, account, request } = await setup();
    await handler.handle(request());
    const json = JSON.stringify(outbox.events);
    for (const secret of [
      ACCOUNT_PASSWORD,
      NEW_PASSWORD,
      account.passwordHash,
      FakePasswordHasher.hashOf(NEW_PASSWORD),
    ]) {
      expect(json).not.toContain(secret);
    }
  });

  it('refuses a wrong current password with invalid_credentials and changes nothing', async () => {
    const { handler, writer, outbox, sessions, other, request } = await setup();
    await expect(handler.handle(request({ currentPassword: 'not-my-password' }))).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(writer.replaced).toEqual([]);
    expect(outbox.events).toEqual([]);
    expect(sessions.stored(other.id)?.revokedAt).toBeNull();
  });

  it('refuses an unknown user with invalid_credentials', async () => {
    const { handler, writer, request } = await setup();
    await expect(handler.handle(request({ userId: 'no-such-user' }))).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(writer.replaced).toEqual([]);
  });

  it.each([
    ['too short', 'short', 'must be at least 12 characters'],
    ['too common', 'Password1234', 'is too common'],
    ['containing the username', 'my-COUNTESS-secret', 'must not contain the email or username'],
    ['containing the email local part', 'x-ada.lovelace-x', 'must not contain the email or username'],
  ])('refuses a new password %s with weak_password on newPassword', async (_case, newPassword, message) => {
    const { handler, writer, hasher, outbox, request } = await setup();
    await expect(handler.handle(request({ newPassword }))).rejects.toMatchObject({
      code: 'weak_password',
      errors: [{ field: 'newPassword', message }],
    });
    expect(hasher.hashCalls).toEqual([]);
    expect(writer.replaced).toEqual([]);
    expect(outbox.events).toEqual([]);
  });

  it('revokes no session and records no change when the users context fails to store the hash', async () => {
    const { handler, writer, outbox, sessions, other, request } = await setup();
    writer.failure = Object.assign(new Error('users context unavailable'), { code: 'service_unavailable' });
    await expect(handler.handle(request())).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(sessions.stored(other.id)?.revokedAt).toBeNull();
    expect(outbox.events).toEqual([]);
  });
});
