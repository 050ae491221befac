import { createHash, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../browser/chromium.js';
import { call } from '../auth/support.js';
import { login, type TestService } from '../support/test-service.js';
import type { RelyingParty } from './express-relying-party.js';
import { allow, freshPage, registerClient, signInOnPage, startOidcScene, type OidcScene } from './support.js';

const PASSWORD = 'compiler-pioneer-1952';
const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** The provider's refusals, each the RFC's answer, and the rules it shares with the REST API. */
describe.skipIf(!chromiumAvailable())('OpenID provider: protocol rules and refusals', () => {
  let service: TestService;
  let browser: Browser;
  let rp: RelyingParty;
  let clientId = '';
  const authorize = (params: Record<string, string>) =>
    fetch(
      `${service.url}/oidc/auth?${new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid', ...params })}`,
      {
        redirect: 'manual',
      },
    );

  let scene: OidcScene;
  beforeAll(async () => {
    scene = await startOidcScene('pglite', ['proto', 'locked', 'revoked'], { LOCKOUT_THRESHOLD: '3' });
    ({ service, browser, rp } = scene);
    clientId = rp.client.clientId;
  }, 120_000);
  afterAll(() => scene?.stop());

  it('publishes OpenID discovery and the RFC 8414 document: S256 only, code only, our keys', async () => {
    const discovery = (await (await fetch(`${service.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    const rfc8414 = (await (await fetch(`${service.url}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(rfc8414).toEqual(discovery);
    expect(discovery).toMatchObject({
      issuer: service.url,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
      scopes_supported: expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']),
      token_endpoint_auth_methods_supported: expect.arrayContaining([
        'client_secret_basic',
        'client_secret_post',
        'none',
      ]),
      grant_types_supported: expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
    });
    const providerKeys = (await (await fetch(String(discovery.jwks_uri))).json()) as { keys: { kid: string }[] };
    const porticoKeys = (await (await fetch(`${service.url}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    expect(providerKeys.keys.map((k) => k.kid)).toEqual(porticoKeys.keys.map((k) => k.kid));
    expect(JSON.stringify(providerKeys)).not.toMatch(/"d":/);
  });

  it('refuses plain PKCE and a request without PKCE, back at the client with invalid_request', async () => {
    const requests: Record<string, string>[] = [{ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }, {}];
    for (const params of requests) {
      const answer = await authorize({ redirect_uri: rp.callback, state: 'xyz', ...params });
      expect(answer.status).toBe(303);
      const to = new URL(answer.headers.get('location')!);
      expect(`${to.origin}${to.pathname}`).toBe(rp.callback);
      expect(to.searchParams.get('error')).toBe('invalid_request');
      expect(to.searchParams.get('state')).toBe('xyz');
    }
  });

  it('never redirects to a redirect URI nobody registered, nor for an unknown client', async () => {
    const { challenge } = pkce();
    const wrong = await authorize({
      redirect_uri: 'https://evil.example/cb',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('location')).toBeNull();
    expect(await wrong.text()).toContain('invalid_redirect_uri');
    clientId = 'nobody';
    const unknown = await authorize({
      redirect_uri: rp.callback,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    clientId = rp.config.clientMetadata().client_id;
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('location')).toBeNull();
    expect(await unknown.text()).toContain('invalid_client');
  });

  /** Runs one authorization in a fresh browser (sign-in, consent) and answers the callback URL and the verifier. */
  async function authorizeInBrowser(config: oidc.Configuration, scope: string) {
    const page = await freshPage(browser);
    const { verifier, challenge } = pkce();
    const state = oidc.randomState();
    const start = oidc.buildAuthorizationUrl(config, {
      redirect_uri: rp.callback,
      scope,
      prompt: 'consent',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
    });
    const landed = page.waitForRequest((request) => request.url().startsWith(`${rp.callback}?code=`));
    await page.goto(start.href);
    await signInOnPage(page, 'personproto@example.com', PASSWORD);
    await allow(page);
    const callback = new URL((await landed).url());
    await page.context().close();
    return { callback, checks: { pkceCodeVerifier: verifier, expectedState: state } };
  }

  it('answers a replayed code invalid_grant and revokes what the code gave', async () => {
    const { callback, checks } = await authorizeInBrowser(rp.config, 'openid');
    const exchange = () => oidc.authorizationCodeGrant(rp.config, callback, checks);
    const tokens = await exchange();
    expect((await oidc.tokenIntrospection(rp.config, tokens.access_token)).active).toBe(true);
    const replay = await exchange().catch((error: unknown) => error);
    expect((replay as oidc.ResponseBodyError).error).toBe('invalid_grant');
    expect((await oidc.tokenIntrospection(rp.config, tokens.access_token)).active).toBe(false);
  });

  it('signs a public client (an SPA) in with PKCE alone, no secret; its refresh tokens rotate', async () => {
    const spa = await registerClient(service, { name: 'Notes SPA', redirectUris: [rp.callback], public: true });
    expect([spa.clientSecret, spa.tokenEndpointAuthMethod]).toEqual([undefined, 'none']);
    const config = await oidc.discovery(new URL(service.url), spa.clientId, undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    const { callback, checks } = await authorizeInBrowser(config, 'openid offline_access');
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks);
    const rotated = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
  });

  it('locks the account after LOCKOUT_THRESHOLD wrong passwords on the hosted page, as the API does', async () => {
    const page = await freshPage(browser);
    await page.goto(`${rp.url}/login`);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await signInOnPage(page, 'personlocked@example.com', 'not-the-password');
      expect(await page.locator('#form-error').textContent()).toContain('email or the password');
    }
    const locked = page.waitForResponse(
      (response) => response.url().endsWith('/login') && response.request().method() === 'POST',
    );
    await signInOnPage(page, 'personlocked@example.com', PASSWORD);
    expect((await locked).status()).toBe(429);
    expect(await page.locator('#form-error').textContent()).toContain('Too many attempts');
    await page.context().close();
  });

  it('ends the OIDC sign-in when its Portico session ends through the API', async () => {
    const page = await freshPage(browser);
    await page.goto(`${rp.url}/login`);
    await signInOnPage(page, 'personrevoked@example.com', PASSWORD);
    await allow(page);
    const tokens = rp.tokenResponses.at(-1)!;
    const api = await login(service.url, 'personrevoked@example.com', PASSWORD);
    // "Sign out everywhere else" from the API ends the hosted sign-in's session as well.
    expect(
      (await call(service, 'DELETE', '/api/v1/auth/sessions?others=true', undefined, api.accessToken)).status,
    ).toBe(204);
    const refused = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!).catch((error: unknown) => error);
    expect((refused as oidc.ResponseBodyError).error).toBe('invalid_grant');
    await page.goto(`${rp.url}/login`);
    expect(await page.locator('h1').textContent()).toBe('Sign in');
    await page.context().close();
  });

  it('issues client-credentials tokens; introspection and revocation answer per RFC 7662 and 7009', async () => {
    const machine = await registerClient(service, {
      name: 'Billing job',
      redirectUris: [],
      grantTypes: ['client_credentials'],
    });
    const config = await oidc.discovery(
      new URL(service.url),
      machine.clientId,
      machine.clientSecret,
      oidc.ClientSecretPost(machine.clientSecret),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const token = await oidc.clientCredentialsGrant(config, { scope: '' });
    expect(token.token_type.toLowerCase()).toBe('bearer');
    expect((await oidc.tokenIntrospection(config, token.access_token)).active).toBe(true);
    await oidc.tokenRevocation(config, token.access_token);
    expect((await oidc.tokenIntrospection(config, token.access_token)).active).toBe(false);
    const badSecret = await fetch(`${service.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: machine.clientId,
        client_secret: 'wrong',
      }),
    });
    expect([badSecret.status, ((await badSecret.json()) as { error: string }).error]).toEqual([401, 'invalid_client']);
  });

  it('answers malformed protocol requests with the RFC error, never a 500', async () => {
    const token = (body: string, type = 'application/x-www-form-urlencoded') =>
      fetch(`${service.url}/oidc/token`, { method: 'POST', headers: { 'content-type': type }, body });
    const cases = [
      await token('grant_type=password&username=a&password=b'),
      await token('grant_type=authorization_code'),
      await token('%%%not-a-form'),
      await token('{"grant_type":', 'application/json'),
      await fetch(
        `${service.url}/oidc/auth?client_id=${clientId}&response_type=token&redirect_uri=${encodeURIComponent(rp.callback)}`,
        { redirect: 'manual' },
      ),
      await fetch(`${service.url}/oidc/userinfo`, { headers: { authorization: 'Bearer not-a-token' } }),
      await fetch(`${service.url}/oidc/interaction/not-an-interaction`),
    ];
    for (const answer of cases) expect(answer.status, await answer.clone().text()).toBeLessThan(500);
    expect(cases.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 303, 401, 400]);
    for (const answer of cases.slice(0, 4))
      expect(((await answer.json()) as { error: string }).error).toMatch(/^invalid_/);
  });

  it('refuses a hosted form posted without its CSRF token', async () => {
    const page = await freshPage(browser);
    await page.goto(`${rp.url}/login`);
    await page
      .locator('input[name=csrf]')
      .first()
      .evaluate((input) => input.setAttribute('value', 'forged'));
    const answer = page.waitForResponse((response) => response.request().method() === 'POST');
    await signInOnPage(page, 'personproto@example.com', PASSWORD);
    expect((await answer).status()).toBe(403);
    expect(await page.locator('#form-error').textContent()).toContain('expired');
    await page.context().close();
  });
});
