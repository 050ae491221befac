import { describe, expect, it } from 'vitest';
import { AuthEventTypes, MailEventTypes } from '../../../../../src/contexts/auth/domain/auth-events.js';
import {
  acceptsStep,
  isOpen,
  MFA_CHALLENGE_LIFETIME_MS,
  type TotpFactor,
} from '../../../../../src/contexts/auth/domain/second-factors.js';
import { LoginHandler } from '../../../../../src/contexts/auth/application/login/login.handler.js';
import { ACCOUNT_PASSWORD, CredentialsMother } from '../../../../mothers/credentials.mother.js';
import { SessionMother } from '../../../../mothers/session.mother.js';
import { codeAt, mfaFixture } from '../../../../support/in-memory/mfa-fixture.js';

const CLIENT = { ip: '203.0.113.9' };

/** An account with a confirmed TOTP factor, its secret and recovery codes, and a session it is in. */
async function enrolled(options: Parameters<typeof mfaFixture>[0] = {}) {
  const f = mfaFixture(options);
  const account = f.seedAccount(CredentialsMother.active({ email: 'ada@example.com' }));
  const here = await f.seedSession(SessionMother.started({ userId: account.userId }, f.clock.now()));
  const elsewhere = await f.seedSession(SessionMother.started({ userId: account.userId }, f.clock.now()));
  const { secret } = await f.enrol.handle({ userId: account.userId, accountName: account.email });
  const confirmed = await f.confirm.handle({
    userId: account.userId,
    sessionId: here.id,
    code: codeAt(secret, f.clock.now()),
  });
  f.clock.advance(30_000); // the confirmation's code is spent: the tests start one step later
  return { ...f, account, secret, here, elsewhere, ...confirmed };
}

/** Opens a challenge for the account, as the password step does. */
async function challenge(f: Awaited<ReturnType<typeof enrolled>>) {
  const opened = await f.gate.challenge(f.account.userId, f.clock.now());
  return opened!.mfaToken;
}

describe('second factors: the rules', () => {
  const factor = (lastUsedStep: number | null): TotpFactor => ({
    userId: 'u',
    sealedSecret: 's',
    createdAt: new Date(0),
    confirmedAt: new Date(0),
    lastUsedStep,
  });

  it('accepts a step only after the last one used (no replay)', () => {
    expect(acceptsStep(factor(null), 10)).toBe(true);
    expect(acceptsStep(factor(10), 11)).toBe(true);
    expect(acceptsStep(factor(10), 10)).toBe(false);
    expect(acceptsStep(factor(10), 9)).toBe(false);
  });

  it('keeps a challenge open until used or 5 minutes old', () => {
    const opened = { tokenHash: 'h', userId: 'u', createdAt: new Date(0), expiresAt: new Date(300_000), usedAt: null };
    expect(MFA_CHALLENGE_LIFETIME_MS).toBe(300_000);
    expect(isOpen(opened, new Date(299_999))).toBe(true);
    expect(isOpen(opened, new Date(300_000))).toBe(false);
    expect(isOpen({ ...opened, usedAt: new Date(1) }, new Date(2))).toBe(false);
    expect(isOpen(null, new Date(0))).toBe(false);
  });
});

describe('TOTP enrolment', () => {
  it('stores the secret sealed, pending, and confirms it with a code: 10 recovery codes, audited, others signed out', async () => {
    const f = await enrolled();
    const stored = f.mfa.totp.rows.get(f.account.userId)!;
    expect(stored.sealedSecret).not.toContain(f.secret);
    expect(f.sealer.unseal(stored.sealedSecret)).toBe(f.secret);
    expect(stored.confirmedAt).not.toBeNull();
    expect(f.recoveryCodes).toHaveLength(10);
    expect(f.revoked).toEqual([f.elsewhere.id]);
    expect(f.sessions.stored(f.here.id)!.revokedAt).toBeNull();
    expect(f.sessions.stored(f.elsewhere.id)!.revokedReason).toBe('mfa_changed');
    const types = f.outbox.events.map((e) => e.type);
    expect(types).toContain(AuthEventTypes.totpEnabled);
    expect(JSON.stringify(f.outbox.events)).not.toContain(f.secret);
  });

  it('refuses a wrong code at confirmation, leaving the factor pending', async () => {
    const f = mfaFixture();
    const account = f.seedAccount(CredentialsMother.active());
    const { secret } = await f.enrol.handle({ userId: account.userId, accountName: account.email });
    const wrong = codeAt(secret, new Date(f.clock.now().getTime() + 120_000));
    await expect(f.confirm.handle({ userId: account.userId, sessionId: 's', code: wrong })).rejects.toMatchObject({
      code: 'mfa_code_invalid',
    });
    expect(f.mfa.totp.rows.get(account.userId)!.confirmedAt).toBeNull();
    await expect(
      f.confirm.handle({ userId: 'nobody', sessionId: 's', code: codeAt(secret, f.clock.now()) }),
    ).rejects.toMatchObject({ code: 'mfa_code_invalid' });
  });

  it('refuses a second enrolment or confirmation while a factor is on', async () => {
    const f = await enrolled();
    await expect(f.enrol.handle({ userId: f.account.userId, accountName: 'x' })).rejects.toMatchObject({
      code: 'mfa_already_enabled',
    });
    const code = codeAt(f.secret, f.clock.now());
    await expect(f.confirm.handle({ userId: f.account.userId, sessionId: f.here.id, code })).rejects.toMatchObject({
      code: 'mfa_already_enabled',
    });
  });
});

describe('login with a second factor', () => {
  it('asks for the factor after the password: a challenge with its methods, stored by digest', async () => {
    const f = await enrolled();
    const opened = await f.gate.challenge(f.account.userId, f.clock.now());
    expect(opened).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery_code'] });
    expect(f.mfa.challenges.rows.has(f.refreshTokens.digest(opened!.mfaToken))).toBe(true);
    expect(await f.gate.challenge('an-account-without-factors', f.clock.now())).toBeNull();
  });

  it('signs in with a TOTP code: amr pwd+otp, an mfa session; the same code is refused the next time', async () => {
    const f = await enrolled();
    const code = codeAt(f.secret, f.clock.now());
    const result = await f.login.handle({ mfaToken: await challenge(f), code, ...CLIENT });
    expect(result.amr).toEqual(['pwd', 'otp']);
    const session = f.sessions.stored(f.accessTokens.issued.at(-1)!.sessionId)!;
    expect([session.mfa, session.amr]).toEqual([true, ['pwd', 'otp']]);
    await expect(f.login.handle({ mfaToken: await challenge(f), code, ...CLIENT })).rejects.toMatchObject({
      code: 'mfa_code_invalid',
    });
  });

  it('accepts the codes of the step before and after, not two steps away', async () => {
    const f = await enrolled();
    f.clock.advance(60_000);
    const step = (n: number) => codeAt(f.secret, new Date(f.clock.now().getTime() + n * 30_000));
    await expect(f.login.handle({ mfaToken: await challenge(f), code: step(-2), ...CLIENT })).rejects.toThrow();
    await expect(f.login.handle({ mfaToken: await challenge(f), code: step(2), ...CLIENT })).rejects.toThrow();
    await f.login.handle({ mfaToken: await challenge(f), code: step(-1), ...CLIENT });
    // Step 0 is after step -1: still fresh. Then step +1.
    await f.login.handle({ mfaToken: await challenge(f), code: step(0), ...CLIENT });
    await f.login.handle({ mfaToken: await challenge(f), code: step(1), ...CLIENT });
  });

  it('uses an mfaToken once, and not after 5 minutes', async () => {
    const f = await enrolled();
    const mfaToken = await challenge(f);
    await f.login.handle({ mfaToken, recoveryCode: f.recoveryCodes[0]!, ...CLIENT });
    await expect(f.login.handle({ mfaToken, recoveryCode: f.recoveryCodes[1]!, ...CLIENT })).rejects.toMatchObject({
      code: 'mfa_code_invalid',
    });
    const late = await challenge(f);
    f.clock.advance(MFA_CHALLENGE_LIFETIME_MS);
    await expect(
      f.login.handle({ mfaToken: late, recoveryCode: f.recoveryCodes[1]!, ...CLIENT }),
    ).rejects.toMatchObject({ code: 'mfa_code_invalid' });
    await expect(f.login.handle({ mfaToken: 'made-up', code: '123456', ...CLIENT })).rejects.toMatchObject({
      code: 'mfa_code_invalid',
    });
  });

  it('takes each recovery code once, audited; a wrong code leaves the mfaToken open', async () => {
    const f = await enrolled();
    const mfaToken = await challenge(f);
    await expect(f.login.handle({ mfaToken, recoveryCode: 'aaaa-bbbb-cccc-dddd', ...CLIENT })).rejects.toThrow();
    await f.login.handle({ mfaToken, recoveryCode: f.recoveryCodes[2]!, ...CLIENT });
    expect(f.outbox.events.map((e) => e.type)).toContain(AuthEventTypes.recoveryCodeUsed);
    await expect(
      f.login.handle({ mfaToken: await challenge(f), recoveryCode: f.recoveryCodes[2]!, ...CLIENT }),
    ).rejects.toMatchObject({ code: 'mfa_code_invalid' });
    expect(await f.mfa.recoveryCodes.remaining(f.account.userId)).toBe(9);
  });

  it('counts wrong codes toward the lockout of the email, and a success resets it', async () => {
    const f = await enrolled({ lockout: { threshold: 3, baseSeconds: 30, maxSeconds: 3600 } });
    const mfaToken = await challenge(f);
    const key = 'login:email:ada@example.com';
    for (let i = 0; i < 3; i += 1) {
      await expect(f.login.handle({ mfaToken, code: '000000', ...CLIENT })).rejects.toMatchObject({
        code: 'mfa_code_invalid',
      });
    }
    expect(f.attempts.failures(key)).toBe(3);
    expect(f.outbox.events.filter((e) => e.type === AuthEventTypes.secondFactorFailed)).toHaveLength(3);
    const code = codeAt(f.secret, f.clock.now());
    await expect(f.login.handle({ mfaToken, code, ...CLIENT })).rejects.toMatchObject({ code: 'rate_limited' });
    f.clock.advance(31_000);
    await f.login.handle({ mfaToken, code: codeAt(f.secret, f.clock.now()), ...CLIENT });
    expect(f.attempts.failures(key)).toBe(0);
  });

  it('refuses a deactivated account', async () => {
    const f = await enrolled();
    const mfaToken = await challenge(f);
    f.credentials.add({ ...f.account, status: 'deactivated' });
    await expect(f.login.handle({ mfaToken, code: codeAt(f.secret, f.clock.now()), ...CLIENT })).rejects.toMatchObject({
      code: 'mfa_code_invalid',
    });
  });
});

describe('the password step of an account with a factor', () => {
  it('answers a challenge and no tokens, and keeps the failure count for the second step', async () => {
    const f = await enrolled();
    const login = new LoginHandler({
      ...f,
      secondFactors: f.gate,
      settings: { loginsPerIpPerMinute: 100, sessionLifetimeMs: 3_600_000, dummyHash: Promise.resolve('hashed:x') },
    });
    const command = { email: 'ada@example.com', password: ACCOUNT_PASSWORD, ...CLIENT };
    await expect(login.handle({ ...command, password: 'wrong' })).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    const issued = f.accessTokens.issued.length;
    const answer = await login.handle(command);
    expect(answer).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery_code'] });
    expect(answer).not.toHaveProperty('accessToken');
    expect(f.accessTokens.issued).toHaveLength(issued);
    expect(f.attempts.failures('login:email:ada@example.com')).toBe(1);
  });
});

describe('recovery codes and removal', () => {
  it('replaces the recovery codes: the old set is void', async () => {
    const f = await enrolled();
    const { recoveryCodes } = await f.regenerate.handle({ userId: f.account.userId, sessionId: f.here.id });
    expect(recoveryCodes).not.toEqual(f.recoveryCodes);
    await expect(
      f.login.handle({ mfaToken: await challenge(f), recoveryCode: f.recoveryCodes[0]!, ...CLIENT }),
    ).rejects.toMatchObject({ code: 'mfa_code_invalid' });
    await f.login.handle({ mfaToken: await challenge(f), recoveryCode: recoveryCodes[0]!, ...CLIENT });
    expect(f.outbox.events.map((e) => e.type)).toContain(AuthEventTypes.recoveryCodesRegenerated);
  });

  it('refuses new recovery codes without a factor', async () => {
    const f = mfaFixture();
    await expect(f.regenerate.handle({ userId: 'u', sessionId: 's' })).rejects.toMatchObject({
      code: 'mfa_not_enabled',
    });
  });

  it('removes the factor (the user keeps this session; an admin ends them all); removing nothing records nothing', async () => {
    const f = await enrolled();
    const another = await f.seedSession(SessionMother.started({ userId: f.account.userId }, f.clock.now()));
    expect(await f.remove.handle({ userId: f.account.userId, sessionId: f.here.id })).toEqual([another.id]);
    expect(await f.gate.methodsOf(f.account.userId)).toEqual([]);
    expect(await f.mfa.recoveryCodes.remaining(f.account.userId)).toBe(0);
    const events = f.outbox.events.length;
    expect(await f.remove.handle({ userId: f.account.userId, adminId: 'admin' })).toEqual([]);
    expect(f.outbox.events).toHaveLength(events);

    const g = await enrolled();
    expect(await g.remove.handle({ userId: g.account.userId, adminId: 'the-admin' })).toEqual([g.here.id]);
    expect(g.outbox.events.find((e) => e.type === AuthEventTypes.secondFactorsRemoved)).toMatchObject({
      data: { userId: g.account.userId, endedBy: 'the-admin' },
    });
  });
});

describe('a notice to the account for every change of factor', () => {
  const notices = (f: { outbox: { events: readonly { type: string; data: unknown }[] } }) =>
    f.outbox.events.filter((e) => e.type === MailEventTypes.secondFactorChanged).map((e) => e.data);

  it('says which change, by whom, to the address and in the language of the account', async () => {
    const f = await enrolled();
    await f.regenerate.handle({ userId: f.account.userId, sessionId: f.here.id });
    await f.remove.handle({ userId: f.account.userId, adminId: 'the-admin' });
    const account = { email: f.account.email, username: f.account.username, locale: f.account.locale };
    expect(notices(f)).toEqual([
      { ...account, change: 'totp_enabled', by: 'user' },
      { ...account, change: 'recovery_codes_regenerated', by: 'user' },
      { ...account, change: 'removed', by: 'admin' },
    ]);
    expect(JSON.stringify(notices(f))).not.toContain(f.secret);
    for (const code of f.recoveryCodes) expect(JSON.stringify(f.outbox.events)).not.toContain(code);
  });

  it('sends none when the account is gone (the change itself is still audited)', async () => {
    const f = await enrolled();
    f.credentials.accounts.delete(f.account.userId);
    await f.regenerate.handle({ userId: f.account.userId, sessionId: f.here.id });
    expect(notices(f)).toHaveLength(1);
    expect(f.outbox.events.at(-1)?.type).toBe(AuthEventTypes.recoveryCodesRegenerated);
  });
});
