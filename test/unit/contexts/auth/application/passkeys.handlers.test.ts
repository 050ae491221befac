import { describe, expect, it } from 'vitest';
import { AuthEventTypes } from '../../../../../src/contexts/auth/domain/auth-events.js';
import {
  acceptsCounter,
  PASSKEY_CHALLENGE_LIFETIME_MS,
  passkeyName,
} from '../../../../../src/contexts/auth/domain/passkeys.js';
import { CredentialsMother } from '../../../../mothers/credentials.mother.js';
import { SessionMother } from '../../../../mothers/session.mother.js';
import { passkeyFixture } from '../../../../support/in-memory/passkey-fixture.js';

const CLIENT = { ip: '203.0.113.9' };

/** An account signed in twice (here, elsewhere), with fresh registration options asked from `here`. */
async function signedIn(
  status: 'active' | 'deactivated' = 'active',
  settings: { requireEmailVerification?: boolean } = {},
) {
  const f = passkeyFixture(settings);
  const account = f.seedAccount(CredentialsMother.active({ email: 'ada@example.com', status }));
  const here = await f.seedSession(SessionMother.started({ userId: account.userId }, f.clock.now()));
  const elsewhere = await f.seedSession(SessionMother.started({ userId: account.userId }, f.clock.now()));
  const options = async () =>
    String(
      (await f.passkeys.registrationOptions.handle({ userId: account.userId, userName: account.email })).challenge,
    );
  const register = async (response: Record<string, unknown>) =>
    f.passkeys.register.handle({ userId: account.userId, sessionId: here.id, response, name: ' Laptop ' });
  return { ...f, account, here, elsewhere, options, register };
}

/** An account with one passkey (`cred-1`, counter 0) and a function to sign in with it. */
async function withPasskey(
  status: 'active' | 'deactivated' = 'active',
  settings: { requireEmailVerification?: boolean } = {},
) {
  const f = await signedIn('active', settings);
  const registered = await f.register({ id: 'cred-1', challenge: await f.options(), valid: true });
  if (status === 'deactivated') f.seedAccount({ ...f.account, status });
  const signIn = async (response: Record<string, unknown> = {}) => {
    const { challenge } = await f.passkeys.authenticationOptions.handle({ ...CLIENT });
    return f.passkeys.login.handle({ response: { id: 'cred-1', challenge, valid: true, ...response }, ...CLIENT });
  };
  return { ...f, passkey: registered.passkey, signIn };
}

describe('passkeys: the rules', () => {
  it('wants a sign counter that grows; two zeros (an authenticator without a counter) pass', () => {
    expect(acceptsCounter(0, 0)).toBe(true);
    expect(acceptsCounter(0, 1)).toBe(true);
    expect(acceptsCounter(5, 6)).toBe(true);
    expect(acceptsCounter(5, 5)).toBe(false);
    expect(acceptsCounter(5, 4)).toBe(false);
    expect(acceptsCounter(5, 0)).toBe(false);
  });

  it('names a passkey as the user did (trimmed, cut at 100), or by its date', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(passkeyName('  Laptop ', now)).toBe('Laptop');
    expect(passkeyName('x'.repeat(150), now)).toHaveLength(100);
    expect(passkeyName(undefined, now)).toBe('Passkey added 2026-03-01');
    expect(passkeyName('   ', now)).toBe('Passkey added 2026-03-01');
  });
});

describe('passkey registration', () => {
  it('stores the passkey, audited, ending the other sessions; the list shows it, the options exclude it', async () => {
    const f = await signedIn();
    const { passkey, revoked } = await f.register({ id: 'cred-1', challenge: await f.options(), valid: true });
    expect(passkey).toMatchObject({ name: 'Laptop', createdAt: f.clock.now(), lastUsedAt: null });
    expect(revoked).toEqual([f.elsewhere.id]);
    expect(f.sessions.stored(f.elsewhere.id)!.revokedReason).toBe('mfa_changed');
    expect(f.outbox.events.map((e) => e.type)).toContain(AuthEventTypes.passkeyAdded);
    expect(await f.passkeys.list.handle({ userId: f.account.userId })).toEqual([passkey]);
    const again = await f.passkeys.registrationOptions.handle({ userId: f.account.userId, userName: 'x' });
    expect(again.excludeCredentials).toEqual(['cred-1']);
    expect(await f.gate.methodsOf(f.account.userId)).toEqual(['passkey']);
  });

  it('spends a challenge once, whatever the outcome, and refuses it after 5 minutes', async () => {
    const f = await signedIn();
    const challenge = await f.options();
    await expect(f.register({ id: 'cred-1', challenge, valid: false })).rejects.toMatchObject({
      code: 'passkey_registration_failed',
    });
    await expect(f.register({ id: 'cred-1', challenge, valid: true })).rejects.toMatchObject({
      code: 'passkey_registration_failed',
    });
    const late = await f.options();
    f.clock.advance(PASSKEY_CHALLENGE_LIFETIME_MS);
    await expect(f.register({ id: 'cred-1', challenge: late, valid: true })).rejects.toMatchObject({
      code: 'passkey_registration_failed',
    });
    expect(f.mfa.passkeys.rows.size).toBe(0);
  });

  it("refuses another user's challenge, a sign-in challenge, an unreadable response and a registered credential", async () => {
    const f = await signedIn();
    const theirs = String(
      (await f.passkeys.registrationOptions.handle({ userId: 'someone-else', userName: 'eve' })).challenge,
    );
    const refused = { code: 'passkey_registration_failed' };
    await expect(f.register({ id: 'cred-1', challenge: theirs, valid: true })).rejects.toMatchObject(refused);
    const { challenge: signIn } = await f.passkeys.authenticationOptions.handle({ ...CLIENT });
    await expect(f.register({ id: 'cred-1', challenge: signIn, valid: true })).rejects.toMatchObject(refused);
    await expect(f.register({ nothing: true })).rejects.toMatchObject(refused);
    await f.register({ id: 'cred-1', challenge: await f.options(), valid: true });
    await expect(f.register({ id: 'cred-1', challenge: await f.options(), valid: true })).rejects.toMatchObject(
      refused,
    );
  });
});

describe('passkey sign-in', () => {
  it('starts an `hwk` session and records the counter and the use', async () => {
    const f = await withPasskey();
    const tokens = await f.signIn({ counter: 1 });
    expect(tokens).toMatchObject({ userId: f.account.userId, amr: ['hwk'] });
    expect(f.mfa.passkeys.rows.get(f.passkey.id)).toMatchObject({ counter: 1, lastUsedAt: f.clock.now() });
    expect(await f.signIn({ counter: 2 })).toMatchObject({ amr: ['hwk'] });
  });

  it('refuses a counter that does not grow (a cloned key), and audits it as a failed login', async () => {
    const f = await withPasskey();
    await f.signIn({ counter: 5 });
    const invalid = { code: 'passkey_invalid' };
    await expect(f.signIn({ counter: 5 })).rejects.toMatchObject(invalid);
    await expect(f.signIn({ counter: 3 })).rejects.toMatchObject(invalid);
    expect(f.mfa.passkeys.rows.get(f.passkey.id)!.counter).toBe(5);
    const failed = f.outbox.events.filter((e) => e.type === AuthEventTypes.loginFailed);
    expect(failed.map((e) => e.data)).toEqual([
      { userId: f.account.userId, method: 'passkey' },
      { userId: f.account.userId, method: 'passkey' },
    ]);
  });

  it('with REQUIRE_EMAIL_VERIFICATION, refuses the right key of an unconfirmed address, and only the right key', async () => {
    const f = await withPasskey('active', { requireEmailVerification: true });
    f.seedAccount({ ...f.account, emailVerified: false });
    await expect(f.signIn({ counter: 1 })).rejects.toMatchObject({ code: 'email_not_verified' });
    await expect(f.signIn({ valid: false, counter: 2 })).rejects.toMatchObject({ code: 'passkey_invalid' });
    f.seedAccount({ ...f.account, emailVerified: true });
    await expect(f.signIn({ counter: 3 })).resolves.toMatchObject({ amr: ['hwk'] });
  });

  it('keeps signing in an authenticator without a counter (always 0)', async () => {
    const f = await withPasskey();
    await f.signIn({ counter: 0 });
    await expect(f.signIn({ counter: 0 })).resolves.toMatchObject({ amr: ['hwk'] });
  });

  it('refuses a spent, expired or registration challenge, an unknown key, a bad signature, a deactivated account', async () => {
    const f = await withPasskey();
    const invalid = { code: 'passkey_invalid' };
    const { challenge } = await f.passkeys.authenticationOptions.handle({ ...CLIENT });
    const response = { id: 'cred-1', challenge, valid: true, counter: 1 };
    await f.passkeys.login.handle({ response, ...CLIENT });
    await expect(f.passkeys.login.handle({ response, ...CLIENT })).rejects.toMatchObject(invalid);
    const { challenge: late } = await f.passkeys.authenticationOptions.handle({ ...CLIENT });
    f.clock.advance(PASSKEY_CHALLENGE_LIFETIME_MS);
    await expect(
      f.passkeys.login.handle({ response: { ...response, challenge: late, counter: 2 }, ...CLIENT }),
    ).rejects.toMatchObject(invalid);
    await expect(f.signIn({ id: 'unknown', counter: 9 })).rejects.toMatchObject(invalid);
    await expect(f.signIn({ valid: false, counter: 9 })).rejects.toMatchObject(invalid);
    const registration = await f.options();
    await expect(
      f.passkeys.login.handle({ response: { ...response, challenge: registration, counter: 9 }, ...CLIENT }),
    ).rejects.toMatchObject(invalid);
    const gone = await withPasskey('deactivated');
    await expect(gone.signIn({ counter: 1 })).rejects.toMatchObject(invalid);
  });

  it('answers the same options whatever the email, and counts them toward the per-IP login limit', async () => {
    const f = await withPasskey();
    const known = await f.passkeys.authenticationOptions.handle({ email: 'ada@example.com', ...CLIENT });
    const unknown = await f.passkeys.authenticationOptions.handle({ email: 'nobody@example.com', ...CLIENT });
    expect(Object.keys(known).sort()).toEqual(Object.keys(unknown).sort());
    expect(known.allowCredentials).toEqual([]);
    for (let i = 0; i < 100; i += 1) await f.limiter.hit(`login:ip:${CLIENT.ip}`, 100, 60, f.clock.now());
    await expect(f.passkeys.authenticationOptions.handle({ ...CLIENT })).rejects.toMatchObject({
      code: 'rate_limited',
    });
  });
});

describe('passkey removal', () => {
  it("removes the user's own passkey, audited, ending the other sessions; another's is not_found", async () => {
    const f = await withPasskey();
    const { userId } = f.account;
    await expect(
      f.passkeys.remove.handle({ userId: 'someone-else', sessionId: 's', passkeyId: f.passkey.id }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await f.passkeys.remove.handle({ userId, sessionId: f.here.id, passkeyId: f.passkey.id });
    expect(f.outbox.events.map((e) => e.type)).toContain(AuthEventTypes.passkeyRemoved);
    expect(await f.passkeys.list.handle({ userId })).toEqual([]);
    await expect(
      f.passkeys.remove.handle({ userId, sessionId: f.here.id, passkeyId: f.passkey.id }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(await f.gate.methodsOf(userId)).toEqual([]);
  });

  it("an admin's removal of the factors takes the passkeys; the user's TOTP removal keeps them", async () => {
    const f = await withPasskey();
    const { userId } = f.account;
    expect(await f.remove.handle({ userId, sessionId: f.here.id })).toEqual([]);
    expect(f.mfa.passkeys.rows.size).toBe(1);
    const revoked = await f.remove.handle({ userId, adminId: 'admin-1' });
    expect(revoked).toContain(f.here.id);
    expect(f.mfa.passkeys.rows.size).toBe(0);
    expect(f.outbox.events.map((e) => e.type)).toContain(AuthEventTypes.secondFactorsRemoved);
  });
});
