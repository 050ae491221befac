import { describe, expect, it } from 'vitest';
import type { LoginCommand } from '../../../../../src/contexts/auth/application/login/login.command.js';
import type { PasswordHashUpgrader, TokenPair } from '../../../../../src/contexts/auth/application/auth-ports.js';
import { LoginHandler, type LoginSettings } from '../../../../../src/contexts/auth/application/login/login.handler.js';
import { AuthEventTypes } from '../../../../../src/contexts/auth/domain/auth-events.js';
import { ACCOUNT_PASSWORD, CredentialsMother } from '../../../../mothers/credentials.mother.js';
import { authFixture } from '../../../../support/in-memory/auth-fixture.js';
import { FakeAccessTokens } from '../../../../support/in-memory/fake-tokens.js';

const DUMMY_HASH = 'hashed:dummy-password-of-nobody';
const LIFETIME_MS = 30 * 24 * 3_600_000;

/** Records the upgrades login asks for; can be told to fail. */
class RecordingHashUpgrader implements PasswordHashUpgrader {
  readonly upgrades: { userId: string; previousHash: string; plain: string }[] = [];
  failing = false;

  async upgrade(userId: string, previousHash: string, plain: string): Promise<void> {
    if (this.failing) throw new Error('users context unavailable');
    this.upgrades.push({ userId, previousHash, plain });
  }
}

function setup(
  options: { failingOutbox?: boolean; settings?: Partial<LoginSettings>; withoutUpgrader?: boolean } = {},
) {
  const fixture = authFixture(options);
  const settings: LoginSettings = {
    loginsPerIpPerMinute: 100,
    sessionLifetimeMs: LIFETIME_MS,
    dummyHash: Promise.resolve(DUMMY_HASH),
    ...options.settings,
  };
  const upgrader = new RecordingHashUpgrader();
  const handler = new LoginHandler({ ...fixture, settings, ...(options.withoutUpgrader ? {} : { upgrader }) });
  const account = fixture.seedAccount(CredentialsMother.active({ email: 'ada@example.com', roles: ['admin', 'user'] }));
  return { ...fixture, handler, account, upgrader };
}

const login = (overrides: Partial<LoginCommand> = {}): LoginCommand => ({
  email: 'ada@example.com',
  password: ACCOUNT_PASSWORD,
  ip: '203.0.113.7',
  ...overrides,
});

/** Fails `times` logins with a wrong password (each must answer invalid_credentials). */
async function failTimes(handler: LoginHandler, times: number, command: Partial<LoginCommand> = {}): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    await expect(handler.handle(login({ password: 'wrong-password', ...command }))).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
  }
}

describe('LoginHandler', () => {
  describe('success', () => {
    it('answers a token pair for the account', async () => {
      const { handler, account } = setup();
      const result = await handler.handle(login());
      const sessionId = '00000000-0000-7000-8000-000000000001'; // the first id SequentialIds gives
      expect(result).toEqual({
        accessToken: FakeAccessTokens.tokenFor({ userId: account.userId, sessionId, roles: ['admin', 'user'] }),
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: 'refresh-1',
        refreshExpiresIn: LIFETIME_MS / 1000,
        sessionId,
        userId: account.userId,
      });
    });

    it('starts a session that stores only the digest of the refresh token', async () => {
      const { handler, account, sessions, refreshTokens, clock } = setup();
      const { refreshToken } = (await handler.handle(login())) as TokenPair;
      const session = await sessions.findByTokenHash(refreshTokens.digest(refreshToken));
      expect(session?.snapshot()).toMatchObject({
        userId: account.userId,
        roles: ['admin', 'user'],
        currentTokenHash: refreshTokens.digest(refreshToken),
        createdAt: clock.now(),
        expiresAt: new Date(clock.now().getTime() + LIFETIME_MS),
        revokedAt: null,
      });
      expect(JSON.stringify([...sessions.rows.values()])).not.toContain(`"${refreshToken}"`);
    });

    it('issues the access token for the new session with the account roles', async () => {
      const { handler, account, accessTokens, sessions, clock } = setup();
      await handler.handle(login());
      const [sessionId] = [...sessions.rows.keys()];
      expect(accessTokens.issued).toEqual([
        { userId: account.userId, sessionId, roles: ['admin', 'user'], amr: ['pwd'], authTime: clock.now() },
      ]);
    });

    it('appends auth.login.succeeded in the unit of work that stores the session', async () => {
      const { handler, account, outbox, sessions, clock } = setup();
      await handler.handle(login());
      const [sessionId] = [...sessions.rows.keys()];
      expect(outbox.events).toEqual([
        {
          type: AuthEventTypes.loginSucceeded,
          version: 1,
          occurredAt: clock.now(),
          aggregateId: sessionId,
          aggregateVersion: 1,
          data: { userId: account.userId, sessionId, amr: ['pwd'] },
        },
      ]);
    });

    it('never puts the password or its hash in an event', async () => {
      const { handler, account, outbox } = setup();
      await handler.handle(login());
      const json = JSON.stringify(outbox.events);
      expect(json).not.toContain(ACCOUNT_PASSWORD);
      expect(json).not.toContain(account.passwordHash);
    });

    it('finds the account whatever the case and surrounding spaces of the email', async () => {
      const { handler, account } = setup();
      await expect(handler.handle(login({ email: '  ADA@Example.com ' }))).resolves.toMatchObject({
        userId: account.userId,
      });
    });

    it('rounds the refresh lifetime down to whole seconds', async () => {
      const { handler } = setup({ settings: { sessionLifetimeMs: 90_999 } });
      await expect(handler.handle(login())).resolves.toMatchObject({ refreshExpiresIn: 90 });
    });

    it('stores no session when the outbox append fails', async () => {
      const { handler, sessions } = setup({ failingOutbox: true });
      await expect(handler.handle(login())).rejects.toThrow('outbox unavailable');
      expect(sessions.rows.size).toBe(0);
    });
  });

  describe('failure', () => {
    it('answers invalid_credentials for a wrong password, counts the failure and starts no session', async () => {
      const { handler, attempts, sessions } = setup();
      await expect(handler.handle(login({ password: 'wrong-password' }))).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
      expect(attempts.failures('login:email:ada@example.com')).toBe(1);
      expect(sessions.rows.size).toBe(0);
    });

    it('audits a failed login of an existing account with auth.login.failed', async () => {
      const { handler, account, outbox, clock } = setup();
      await failTimes(handler, 1);
      expect(outbox.events).toEqual([
        {
          type: AuthEventTypes.loginFailed,
          version: 1,
          occurredAt: clock.now(),
          aggregateId: account.userId,
          aggregateVersion: 0,
          data: { userId: account.userId },
        },
      ]);
    });

    it('answers invalid_credentials for an unknown email after verifying against the dummy hash', async () => {
      const { handler, hasher, attempts } = setup();
      await expect(handler.handle(login({ email: 'nobody@example.com', password: 'guess' }))).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
      // The same one verification as for a real account, so the timing does not tell them apart.
      expect(hasher.verifyCalls).toEqual([{ hash: DUMMY_HASH, plain: 'guess' }]);
      expect(attempts.failures('login:email:nobody@example.com')).toBe(1);
    });

    it('waits for the dummy hash when a login comes before the start has made it', async () => {
      let made: (hash: string) => void = () => undefined;
      const { handler, hasher } = setup({ settings: { dummyHash: new Promise((resolve) => (made = resolve)) } });
      const refused = handler.handle(login({ email: 'nobody@example.com', password: 'guess' }));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(hasher.verifyCalls).toEqual([]);
      made('hashed:made-late');
      await expect(refused).rejects.toMatchObject({ code: 'invalid_credentials' });
      expect(hasher.verifyCalls).toEqual([{ hash: 'hashed:made-late', plain: 'guess' }]);
    });

    it('audits a failed login of an unknown email too, with no user and without the email', async () => {
      const { handler, outbox, clock } = setup();
      await expect(handler.handle(login({ email: 'nobody@example.com' }))).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
      expect(outbox.events).toEqual([
        {
          type: AuthEventTypes.loginFailed,
          version: 1,
          occurredAt: clock.now(),
          aggregateId: expect.any(String),
          aggregateVersion: 0,
          data: { userId: null },
        },
      ]);
      expect(JSON.stringify(outbox.events)).not.toContain('nobody');
    });

    it('answers invalid_credentials for an unknown email even if the password matches the dummy hash', async () => {
      const { handler, sessions } = setup();
      await expect(
        handler.handle(login({ email: 'nobody@example.com', password: 'dummy-password-of-nobody' })),
      ).rejects.toMatchObject({ code: 'invalid_credentials' });
      expect(sessions.rows.size).toBe(0);
    });

    it('verifies a known account against its own hash', async () => {
      const { handler, hasher, account } = setup();
      await failTimes(handler, 1);
      expect(hasher.verifyCalls).toEqual([{ hash: account.passwordHash, plain: 'wrong-password' }]);
    });

    it('answers invalid_credentials for a deactivated account even with the right password, and audits it', async () => {
      const { handler, seedAccount, hasher, attempts, outbox, sessions } = setup();
      const account = seedAccount(CredentialsMother.deactivated({ email: 'gone@example.com' }));
      await expect(handler.handle(login({ email: 'gone@example.com' }))).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
      expect(hasher.verifyCalls).toEqual([{ hash: account.passwordHash, plain: ACCOUNT_PASSWORD }]);
      expect(attempts.failures('login:email:gone@example.com')).toBe(1);
      expect(outbox.events.map((e) => [e.type, e.aggregateId])).toEqual([[AuthEventTypes.loginFailed, account.userId]]);
      expect(sessions.rows.size).toBe(0);
    });

    it('gives every kind of failure the same error', async () => {
      const { handler, seedAccount } = setup();
      seedAccount(CredentialsMother.deactivated({ email: 'gone@example.com' }));
      const errors = await Promise.all(
        [
          login({ password: 'wrong-password' }),
          login({ email: 'nobody@example.com' }),
          login({ email: 'gone@example.com' }),
        ].map((c) => handler.handle(c).catch((e: unknown) => e)),
      );
      const shapes = errors.map((e) => {
        const { code, message } = e as { code: string; message: string };
        return { code, message };
      });
      expect(new Set(shapes.map((s) => JSON.stringify(s))).size).toBe(1);
      expect(shapes[0]).toEqual({ code: 'invalid_credentials', message: 'the email or password is wrong' });
    });
  });

  describe('hash upgrade', () => {
    it('asks for an upgrade, with the plaintext, when the stored hash is outdated', async () => {
      const { handler, hasher, account, upgrader } = setup();
      hasher.outdated.add(account.passwordHash);
      await handler.handle(login());
      expect(upgrader.upgrades).toEqual([
        { userId: account.userId, previousHash: account.passwordHash, plain: ACCOUNT_PASSWORD },
      ]);
    });

    it('asks for nothing when the hash is current', async () => {
      const { handler, upgrader } = setup();
      await handler.handle(login());
      expect(upgrader.upgrades).toEqual([]);
    });

    it('never upgrades on a failed login', async () => {
      const { handler, hasher, account, upgrader } = setup();
      hasher.outdated.add(account.passwordHash);
      await failTimes(handler, 1);
      expect(upgrader.upgrades).toEqual([]);
    });

    it('still logs in when the upgrade fails', async () => {
      const { handler, hasher, account, upgrader, sessions } = setup();
      hasher.outdated.add(account.passwordHash);
      upgrader.failing = true;
      await expect(handler.handle(login())).resolves.toMatchObject({ userId: account.userId });
      expect(sessions.rows.size).toBe(1);
    });

    it('logs in without upgrading when no upgrader is wired', async () => {
      const { handler, hasher, account } = setup({ withoutUpgrader: true });
      hasher.outdated.add(account.passwordHash);
      await expect(handler.handle(login())).resolves.toMatchObject({ userId: account.userId });
    });
  });

  describe('per-email lockout', () => {
    it('answers rate_limited with the lockout time once the threshold is reached, without verifying', async () => {
      const { handler, hasher } = setup();
      await failTimes(handler, 5);
      const verifications = hasher.verifyCalls.length;
      await expect(handler.handle(login())).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 30 });
      expect(hasher.verifyCalls).toHaveLength(verifications);
    });

    it('counts the retry time down as the clock moves', async () => {
      const { handler, clock } = setup();
      await failTimes(handler, 5);
      clock.advance(20_500);
      await expect(handler.handle(login())).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 10 });
    });

    it('doubles the wait with each failure after the lock expires', async () => {
      const { handler, clock } = setup();
      await failTimes(handler, 5);
      clock.advance(30_000);
      await failTimes(handler, 1);
      await expect(handler.handle(login())).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 60 });
    });

    it('locks an email no account has in exactly the same way', async () => {
      const { handler } = setup();
      await failTimes(handler, 5, { email: 'nobody@example.com' });
      await expect(handler.handle(login({ email: 'nobody@example.com' }))).rejects.toMatchObject({
        code: 'rate_limited',
        retryAfterSeconds: 30,
      });
    });

    it('counts failures per normalised email', async () => {
      const { handler } = setup();
      await failTimes(handler, 3, { email: 'ADA@example.com' });
      await failTimes(handler, 2, { email: ' ada@EXAMPLE.com' });
      await expect(handler.handle(login())).rejects.toMatchObject({ code: 'rate_limited' });
    });

    it('does not lock other emails', async () => {
      const { handler, seedAccount } = setup();
      const other = seedAccount(CredentialsMother.active({ email: 'grace@example.com' }));
      await failTimes(handler, 5);
      await expect(handler.handle(login({ email: 'grace@example.com' }))).resolves.toMatchObject({
        userId: other.userId,
      });
    });

    it('lets the right password in once the lock expires, and a success resets the count', async () => {
      const { handler, clock, attempts } = setup();
      await failTimes(handler, 5);
      clock.advance(30_000);
      await expect(handler.handle(login())).resolves.toMatchObject({ tokenType: 'Bearer' });
      expect(attempts.failures('login:email:ada@example.com')).toBe(0);
      await failTimes(handler, 4);
      await expect(handler.handle(login())).resolves.toMatchObject({ tokenType: 'Bearer' });
    });
  });

  describe('per-IP rate limit', () => {
    it('answers rate_limited with the rest of the minute once the IP used its logins', async () => {
      const { handler, clock } = setup({ settings: { loginsPerIpPerMinute: 2 } });
      await handler.handle(login());
      clock.advance(15_000);
      await handler.handle(login());
      await expect(handler.handle(login())).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 45 });
    });

    it('counts failed logins too, and checks the IP before the password and the lockout', async () => {
      const { handler, hasher, attempts } = setup({ settings: { loginsPerIpPerMinute: 1 } });
      await failTimes(handler, 1);
      await expect(handler.handle(login({ password: 'wrong-password' }))).rejects.toMatchObject({
        code: 'rate_limited',
        retryAfterSeconds: 60,
      });
      expect(hasher.verifyCalls).toHaveLength(1);
      expect(attempts.failures('login:email:ada@example.com')).toBe(1);
    });

    it('limits each IP on its own', async () => {
      const { handler } = setup({ settings: { loginsPerIpPerMinute: 1 } });
      await handler.handle(login({ ip: '203.0.113.7' }));
      await expect(handler.handle(login({ ip: '198.51.100.1' }))).resolves.toMatchObject({ tokenType: 'Bearer' });
    });

    it('allows the IP again in the next window', async () => {
      const { handler, clock } = setup({ settings: { loginsPerIpPerMinute: 1 } });
      await handler.handle(login());
      clock.advance(60_000);
      await expect(handler.handle(login())).resolves.toMatchObject({ tokenType: 'Bearer' });
    });
  });
});

describe('LoginHandler with REQUIRE_EMAIL_VERIFICATION', () => {
  it('answers email_not_verified to the right password of an unverified account, and starts no session', async () => {
    const { handler, seedAccount, sessions } = setup({ settings: { requireEmailVerification: true } });
    seedAccount(CredentialsMother.active({ email: 'new@example.com', emailVerified: false }));
    await expect(handler.handle(login({ email: 'new@example.com' }))).rejects.toMatchObject({
      code: 'email_not_verified',
    });
    await expect(handler.handle(login({ email: 'new@example.com', password: 'wrong-password' }))).rejects.toMatchObject(
      {
        code: 'invalid_credentials',
      },
    );
    expect(sessions.rows.size).toBe(0);
    await expect(handler.handle(login())).resolves.toHaveProperty('accessToken');
  });

  it('lets an unverified account in when verification is not required', async () => {
    const { handler, seedAccount } = setup();
    seedAccount(CredentialsMother.active({ email: 'new@example.com', emailVerified: false }));
    await expect(handler.handle(login({ email: 'new@example.com' }))).resolves.toHaveProperty('accessToken');
  });
});
