import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../browser/chromium.js';
import { call, expectNoSecretInTables } from '../auth/support.js';
import { totpCode, type Enrolment } from '../auth/mfa-support.js';
import { postgresAvailable } from '../support/postgres.js';
import { login, type Engine, type TestService } from '../support/test-service.js';
import type { RelyingParty } from './express-relying-party.js';
import { allow, freshPage, signInOnPage, startOidcScene, submitCode, type OidcScene } from './support.js';

const engines: Engine[] =
  (await postgresAvailable()) || process.env.CI === 'true' ? ['pglite', 'postgres'] : ['pglite'];
const PASSWORD = 'compiler-pioneer-1952';

/**
 * ISSUE 15's "done when": an Express application using openid-client signs people in through
 * Portico's hosted pages in Chromium — a password, then TOTP — calls userinfo, refreshes and logs
 * out; and the protocol's refusals are the RFCs' (code replay, refresh reuse, plain PKCE, a
 * redirect URI nobody registered).
 */
describe.skipIf(!chromiumAvailable()).each(engines)('OpenID Connect with a real relying party (%s)', (engine) => {
  let scene: OidcScene;
  let service: TestService;
  let browser: Browser;
  let rp: RelyingParty;
  const email = (name: string) => `person${name}${engine}@example.com`;

  beforeAll(async () => {
    scene = await startOidcScene(
      engine,
      ['plain', 'totp', 'locked'].map((name) => `${name}${engine}`),
      { LOCKOUT_THRESHOLD: '3' },
    );
    ({ service, browser, rp } = scene);
  }, 120_000);
  afterAll(() => scene?.stop());

  it('signs a user in with a password, then consent; userinfo, refresh with rotation, reuse refused', async () => {
    const page = await freshPage(browser);
    await page.goto(`${rp.url}/login`);
    expect(await page.title()).toContain('Sign in');
    await signInOnPage(page, email('plain'), PASSWORD);
    expect(await page.locator('h1').textContent()).toBe('Allow access?');
    await allow(page);
    expect(await page.locator('#hello').textContent()).toBe('Hello Grace Hopper');
    expect(await page.locator('#email').textContent()).toBe(email('plain'));

    const tokens = rp.tokenResponses.at(-1)!;
    const jwks = createRemoteJWKSet(new URL(`${service.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(tokens.id_token!, jwks, {
      issuer: service.url,
      audience: rp.config.clientMetadata().client_id,
    });
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('RS256');
    expect(payload.amr).toEqual(['pwd']);

    const rotated = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!);
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    const reuse = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!).catch((error: unknown) => error);
    expect((reuse as oidc.ResponseBodyError).error).toBe('invalid_grant');
    // Reuse revoked the whole grant: the rotated token dies with it.
    const after = await oidc.refreshTokenGrant(rp.config, rotated.refresh_token!).catch((error: unknown) => error);
    expect((after as oidc.ResponseBodyError).error).toBe('invalid_grant');
    await page.context().close();
  });

  it('keeps no token, code or client secret of these sign-ins in any table', async () => {
    const handedOut = rp.tokenResponses.flatMap((t) => [t.access_token, t.refresh_token ?? '', t.id_token ?? '']);
    const secrets = [...handedOut.filter(Boolean), ...rp.codes, rp.client.clientSecret];
    const { tables, scanned } = await expectNoSecretInTables(service.runtime.database, secrets);
    expect(tables).toEqual(expect.arrayContaining(['oidc.payloads', 'oidc.clients', 'oidc.session_links']));
    expect(scanned).toBeGreaterThan(0);
  });

  it('asks an account with TOTP for its code, refuses a wrong one, then logs out everywhere', async () => {
    const api = await login(service.url, email('totp'), PASSWORD);
    const enrolled = (await (
      await call(service, 'POST', '/api/v1/auth/mfa/totp', undefined, api.accessToken)
    ).json()) as Enrolment;
    const confirmed = await call(
      service,
      'POST',
      '/api/v1/auth/mfa/totp/confirm',
      { code: totpCode(enrolled.secret) },
      api.accessToken,
    );
    expect(confirmed.status).toBe(200);

    const page = await freshPage(browser);
    await page.goto(`${rp.url}/login`);
    await signInOnPage(page, email('totp'), PASSWORD);
    expect(await page.locator('h1').textContent()).toBe('Two-step verification');
    await submitCode(page, totpCode(enrolled.secret, 5));
    expect(await page.locator('#form-error').textContent()).toContain('code is not right');
    // The confirmation spent this step's code; the next step's is accepted (±1 step).
    await submitCode(page, totpCode(enrolled.secret, 1));
    await allow(page);
    expect(await page.locator('#amr').textContent()).toBe('pwd otp');
    const signedIn = rp.tokenResponses.at(-1)!;
    // The application refreshes (a new pair; the second factor is not asked again), then logs out.
    const tokens = await oidc.refreshTokenGrant(rp.config, signedIn.refresh_token!);
    expect(tokens.refresh_token).not.toBe(signedIn.refresh_token);
    expect(tokens.claims()?.amr).toEqual(['pwd', 'otp']);

    await page.goto(`${rp.url}/logout`);
    expect(await page.locator('h1').textContent()).toBe('Sign out');
    await Promise.all([page.waitForURL(rp.signedOut), page.click('button[value=yes]')]);
    const refused = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!).catch((error: unknown) => error);
    expect((refused as oidc.ResponseBodyError).error).toBe('invalid_grant');
    // The Portico session of that sign-in ended too: the next visit asks for the password again.
    await page.goto(`${rp.url}/login`);
    expect(await page.locator('h1').textContent()).toBe('Sign in');
    await page.context().close();
  });
});
