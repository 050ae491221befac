import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailbox } from '../support/mailbox.js';
import { postgresAvailable } from '../support/postgres.js';
import {
  login,
  newUserBody,
  startTestService,
  type Engine,
  type TestService,
  type Tokens,
} from '../support/test-service.js';
import { call, codeOf } from './support.js';
import { totpCode, type Enrolment, type MfaChallengeBody } from './mfa-support.js';

const engines: Engine[] =
  (await postgresAvailable()) || process.env.CI === 'true' ? ['pglite', 'postgres'] : ['pglite'];

const PASSWORD = 'compiler-pioneer-1952';
const NEW_PASSWORD = 'after-the-reset-passphrase-77';

/** API.md "MFA and sessions": enrol TOTP, then every login asks for it (or a recovery code, once). */
describe.each(engines)('second factors: TOTP and recovery codes (%s)', (engine) => {
  let service: TestService;
  const email = `personmfa${engine}@example.com`;
  const loginBody = (password = PASSWORD) => ({ email, password });
  const claims = async (token: string) => {
    const jwks = createRemoteJWKSet(new URL(`${service.url}/.well-known/jwks.json`));
    return (await jwtVerify(token, jwks)).payload as { amr: string[]; auth_time: number; sid: string };
  };

  beforeAll(async () => {
    service = await startTestService(engine, { LOCKOUT_THRESHOLD: '4' });
    const body = newUserBody(`mfa${engine}`);
    expect((await call(service, 'POST', '/api/v1/auth/register', body, null, { prefer: 'wait=10' })).status).toBe(201);
  });
  afterAll(() => service.stop());

  it('enrols, confirms, then logs in with TOTP, with a recovery code, and refuses that code again', async () => {
    const first = await login(service.url, email, PASSWORD);
    const other = await login(service.url, email, PASSWORD);
    const before = await claims(first.accessToken);
    expect(before.amr).toEqual(['pwd']);
    expect(Math.abs(before.auth_time * 1000 - Date.now())).toBeLessThan(60_000);

    const enrolled = await call(service, 'POST', '/api/v1/auth/mfa/totp', undefined, first.accessToken);
    expect(enrolled.status).toBe(200);
    expect(enrolled.headers.get('cache-control')).toBe('no-store');
    const { secret, otpauthUri } = (await enrolled.json()) as Enrolment;
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Portico:.*secret=/);
    expect(otpauthUri).toContain(`secret=${secret}`);

    const confirm = (code: string) =>
      call(service, 'POST', '/api/v1/auth/mfa/totp/confirm', { code }, first.accessToken);
    const wrong = await confirm(totpCode(secret, 5));
    expect([wrong.status, await codeOf(wrong)]).toEqual([400, 'mfa_code_invalid']);
    // Codes from the confirmation's moment: the test holds across a step boundary too.
    const t0 = Date.now();
    const confirmed = await confirm(totpCode(secret, 0, t0));
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    // The other session ended with the change; this one stays.
    expect((await call(service, 'GET', '/api/v1/auth/me', undefined, other.accessToken)).status).toBe(401);
    expect((await call(service, 'GET', '/api/v1/auth/me', undefined, first.accessToken)).status).toBe(200);
    expect((await call(service, 'POST', '/api/v1/auth/logout', undefined, first.accessToken)).status).toBe(204);

    // The password alone no longer signs in.
    const challenge = await passwordStep();
    expect(challenge.methods).toEqual(['totp', 'recovery_code']);
    const mfa = (body: Record<string, string>) => call(service, 'POST', '/api/v1/auth/login/mfa', body);
    const bad = await mfa({ mfaToken: challenge.mfaToken, code: '000000' });
    expect([bad.status, await codeOf(bad)]).toEqual([401, 'mfa_code_invalid']);
    // The confirmation used this step's code: it is refused here, the next step's is not.
    const replayed = await mfa({ mfaToken: challenge.mfaToken, code: totpCode(secret, 0, t0) });
    expect(await codeOf(replayed)).toBe('mfa_code_invalid');
    const withTotp = await mfa({ mfaToken: challenge.mfaToken, code: totpCode(secret, 1, t0) });
    expect(withTotp.status).toBe(200);
    const totpTokens = (await withTotp.json()) as Tokens;
    const totpClaims = await claims(totpTokens.accessToken);
    expect(totpClaims.amr).toEqual(['pwd', 'otp']);
    // The mfaToken worked once.
    expect(await codeOf(await mfa({ mfaToken: challenge.mfaToken, code: totpCode(secret, 1, t0) }))).toBe(
      'mfa_code_invalid',
    );

    // auth_time is the sign-in's, across a refresh.
    const refreshed = await call(service, 'POST', '/api/v1/auth/refresh', { refreshToken: totpTokens.refreshToken });
    const after = await claims(((await refreshed.json()) as Tokens).accessToken);
    expect([after.amr, after.auth_time]).toEqual([['pwd', 'otp'], totpClaims.auth_time]);
    const sessions = await call(service, 'GET', '/api/v1/auth/sessions', undefined, totpTokens.accessToken);
    expect(((await sessions.json()) as { items: { mfa: boolean }[] }).items.map((s) => s.mfa)).toEqual([true]);

    const second = await passwordStep();
    const withCode = await mfa({ mfaToken: second.mfaToken, recoveryCode: recoveryCodes[3]!.toUpperCase() });
    expect(withCode.status).toBe(200);
    expect((await claims(((await withCode.json()) as Tokens).accessToken)).amr).toEqual(['pwd', 'otp']);
    const third = await passwordStep();
    const again = await mfa({ mfaToken: third.mfaToken, recoveryCode: recoveryCodes[3]! });
    expect([again.status, await codeOf(again)]).toEqual([401, 'mfa_code_invalid']);
    expect((await mfa({ mfaToken: third.mfaToken, recoveryCode: recoveryCodes[4]! })).status).toBe(200);
  });

  it('still asks for the second factor after a password reset', async () => {
    expect((await call(service, 'POST', '/api/v1/auth/password/forgot', { email })).status).toBe(202);
    const { token } = await new Mailbox(service.url).waitFor(email, 'password-reset');
    const reset = await call(service, 'POST', '/api/v1/auth/password/reset', { token, newPassword: NEW_PASSWORD });
    expect(reset.status).toBe(204);
    expect((await passwordStep(NEW_PASSWORD)).methods).toEqual(['totp', 'recovery_code']);
  });

  it('counts wrong codes toward the lockout of the email', async () => {
    const challenge = await passwordStep(NEW_PASSWORD);
    const answers: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const answer = await call(service, 'POST', '/api/v1/auth/login/mfa', {
        mfaToken: challenge.mfaToken,
        code: '111111',
      });
      answers.push(answer.status);
    }
    expect(answers).toEqual([401, 401, 401, 401, 429]);
    const locked = await call(service, 'POST', '/api/v1/auth/login', loginBody(NEW_PASSWORD));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('lets an admin remove the factors of a user: audited, sessions ended, the password alone signs in', async () => {
    const body = newUserBody(`mfaadmin${engine}`);
    const created = await call(service, 'POST', '/api/v1/auth/register', body, null, { prefer: 'wait=10' });
    const { id } = (await created.json()) as { id: string };
    const tokens = await login(service.url, body.email, PASSWORD);
    const { secret } = (await (
      await call(service, 'POST', '/api/v1/auth/mfa/totp', undefined, tokens.accessToken)
    ).json()) as Enrolment;
    await call(service, 'POST', '/api/v1/auth/mfa/totp/confirm', { code: totpCode(secret) }, tokens.accessToken);

    expect((await call(service, 'DELETE', `/api/v1/users/${id}/mfa`, undefined, tokens.accessToken)).status).toBe(403);
    expect((await call(service, 'DELETE', `/api/v1/users/${id}/mfa`, undefined, service.adminToken)).status).toBe(204);
    expect((await call(service, 'GET', '/api/v1/auth/me', undefined, tokens.accessToken)).status).toBe(401);
    const plain = (await (
      await call(service, 'POST', '/api/v1/auth/login', { email: body.email, password: PASSWORD })
    ).json()) as Tokens;
    expect(plain.accessToken).toBeTruthy();
    const audit = await call(service, 'GET', `/api/v1/users/${id}/audit`, undefined, service.adminToken);
    const types = ((await audit.json()) as { items: { type: string }[] }).items.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['auth.mfa.totp_enabled', 'auth.mfa.removed']));

    const mailbox = new Mailbox(service.url);
    const enabled = await mailbox.waitFor(body.email, 'second-factor-changed', 1);
    const removed = await mailbox.waitFor(body.email, 'second-factor-changed', 2);
    expect(enabled.subject).toBe('The second factors of your account changed');
    expect(enabled.parsed.text).toContain('An authenticator app was turned on');
    expect(enabled.parsed.text).toContain('every other session of your account ended');
    expect(removed.parsed.text).toContain('second factors of your account were removed');
    expect(removed.parsed.html).toContain('An administrator made this change');
    expect(`${enabled.parsed.text}${removed.parsed.text}`).not.toContain(secret);
  });

  /** Logs in with the password: for this account, a challenge and no tokens. */
  async function passwordStep(password = PASSWORD): Promise<MfaChallengeBody> {
    const answer = await call(service, 'POST', '/api/v1/auth/login', loginBody(password));
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as MfaChallengeBody & { accessToken?: string };
    expect(body.mfaRequired).toBe(true);
    expect(body.accessToken).toBeUndefined();
    return body;
  }
});
