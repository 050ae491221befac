import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MovableClock } from '../support/movable-clock.js';
import { login, newUserBody, startTestService, type TestService, type Tokens } from '../support/test-service.js';
import { call, codeOf } from './support.js';
import { totpCode, type Enrolment, type MfaChallengeBody } from './mfa-support.js';

const SIX_MINUTES = 6 * 60_000;

/**
 * API.md "recent": the routes that change a second factor want a sign-in under 5 minutes old. The
 * service runs on a clock the test moves, so a sign-in ages without the test waiting. The rule
 * is the same code on every engine (the unit tests hold its boundary): PGlite is enough here.
 */
describe('auth: a sensitive change wants a recent sign-in', () => {
  const clock = new MovableClock();
  let service: TestService;
  const body = newUserBody('recency');

  beforeAll(async () => {
    service = await startTestService('pglite', {}, { clock });
    expect((await call(service, 'POST', '/api/v1/auth/register', body, null, { prefer: 'wait=10' })).status).toBe(201);
  });
  afterAll(() => service.stop());

  it('refuses an aged sign-in with reauthentication_required, even after a refresh, and takes a fresh one', async () => {
    const first = await login(service.url, body.email, body.password);
    const enrolled = await call(service, 'POST', '/api/v1/auth/mfa/totp', undefined, first.accessToken);
    const { secret } = (await enrolled.json()) as Enrolment;
    const confirm = { code: totpCode(secret, 0, clock.now().getTime()) };
    expect((await call(service, 'POST', '/api/v1/auth/mfa/totp/confirm', confirm, first.accessToken)).status).toBe(200);

    clock.advance(SIX_MINUTES);
    const aged = await call(service, 'POST', '/api/v1/auth/mfa/recovery-codes', undefined, first.accessToken);
    expect(aged.status).toBe(401);
    expect(aged.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await codeOf(aged)).toBe('reauthentication_required');
    expect((await call(service, 'DELETE', '/api/v1/auth/mfa/totp', undefined, first.accessToken)).status).toBe(401);
    // Reading still works: the token is valid, only its sign-in is old.
    expect((await call(service, 'GET', '/api/v1/auth/me', undefined, first.accessToken)).status).toBe(200);

    const refreshed = (await (
      await call(service, 'POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken })
    ).json()) as Tokens;
    const stillAged = await call(service, 'POST', '/api/v1/auth/mfa/recovery-codes', undefined, refreshed.accessToken);
    expect([stillAged.status, await codeOf(stillAged)]).toEqual([401, 'reauthentication_required']);

    const challenge = (await (
      await call(service, 'POST', '/api/v1/auth/login', { email: body.email, password: body.password })
    ).json()) as MfaChallengeBody;
    const code = totpCode(secret, 0, clock.now().getTime());
    const fresh = await call(service, 'POST', '/api/v1/auth/login/mfa', { mfaToken: challenge.mfaToken, code });
    const { accessToken } = (await fresh.json()) as Tokens;
    const regenerated = await call(service, 'POST', '/api/v1/auth/mfa/recovery-codes', undefined, accessToken);
    expect(regenerated.status).toBe(200);
    expect((await call(service, 'DELETE', '/api/v1/auth/mfa/totp', undefined, accessToken)).status).toBe(204);
  });
});
