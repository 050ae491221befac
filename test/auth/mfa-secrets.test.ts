import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, newUserBody, startTestService, type TestService } from '../support/test-service.js';
import { totpCode, type Enrolment, type MfaChallengeBody } from './mfa-support.js';
import { call, expectNoSecretInTables } from './support.js';

/**
 * The secret scan of password-change-and-secrets.test.ts, for second factors: a TOTP secret, a
 * recovery code and an mfaToken are in the answers that hand them out and nowhere else, not in a
 * table (the factor rows hold the secret sealed, the codes and tokens as digests), not in an
 * event, not in a log line.
 */
describe('auth: no TOTP secret, recovery code or mfaToken anywhere but in its answer', () => {
  let service: TestService;
  const logLines: string[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    service = await startTestService('pglite', {}, { logLines });
    const user = newUserBody('mfasecret');
    expect((await call(service, 'POST', '/api/v1/auth/register', user, null, { prefer: 'wait=10' })).status).toBe(201);
    const { accessToken } = await login(service.url, user.email, user.password);
    const enrolled = await call(service, 'POST', '/api/v1/auth/mfa/totp', undefined, accessToken);
    const { secret } = (await enrolled.json()) as Enrolment;
    const t0 = Date.now();
    const confirmed = await call(
      service,
      'POST',
      '/api/v1/auth/mfa/totp/confirm',
      { code: totpCode(secret, 0, t0) },
      accessToken,
    );
    const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
    const challenge = async () =>
      (
        (await (
          await call(service, 'POST', '/api/v1/auth/login', { email: user.email, password: user.password })
        ).json()) as MfaChallengeBody
      ).mfaToken;
    const first = await challenge();
    expect(
      (await call(service, 'POST', '/api/v1/auth/login/mfa', { mfaToken: first, code: totpCode(secret, 1, t0) }))
        .status,
    ).toBe(200);
    const second = await challenge();
    const used = await call(service, 'POST', '/api/v1/auth/login/mfa', {
      mfaToken: second,
      recoveryCode: recoveryCodes[0],
    });
    expect(used.status).toBe(200);
    secrets.push(secret, first, second, ...recoveryCodes, ...recoveryCodes.map((c) => c.replaceAll('-', '')));
  });
  afterAll(() => service.stop());

  it('never stores, queues or logs them (every table, every message, every log line)', async () => {
    await sleep(500);
    const { database } = service.runtime;
    const { tables, scanned } = await expectNoSecretInTables(database, secrets);
    expect(tables).toEqual(
      expect.arrayContaining(['auth.totp_factors', 'auth.recovery_codes', 'auth.mfa_challenges', 'messaging.outbox']),
    );
    expect(scanned).toBeGreaterThan(10);
    const factor = await database.query<{ sealed: string; codes: number }>(sql`
      select sealed_secret as sealed, (select count(*)::int from auth.recovery_codes) as codes from auth.totp_factors`);
    expect(factor.rows[0]!.sealed).toMatch(/^v1\./);
    expect(factor.rows[0]!.codes).toBe(10);
    const events = await database.query<{ type: string }>(
      sql`select type from messaging.outbox where type like 'auth.mfa.%'`,
    );
    expect(events.rows.map((e) => e.type)).toEqual(
      expect.arrayContaining(['auth.mfa.totp_enabled', 'auth.mfa.recovery_code_used']),
    );
    expect(logLines.length).toBeGreaterThan(10);
    for (const line of logLines)
      for (const secret of secrets) expect(line.toLowerCase()).not.toContain(secret.toLowerCase());
  });
});
