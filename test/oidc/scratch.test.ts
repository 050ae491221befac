import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../observability/prometheus-server.js';
import { newUserBody, startTestService, type TestService } from '../support/test-service.js';
import { launchChromium } from '../browser/chromium.js';
import { scratchClients } from '../../src/contexts/oidc/oidc.context.js';
import type { Browser } from 'playwright-core';

describe('scratch', () => {
  let service: TestService;
  let browser: Browser;
  let callback: string;
  beforeAll(async () => {
    const port = await freePort();
    const cbPort = await freePort();
    callback = `http://127.0.0.1:${cbPort}/cb`;
    createServer((req, res) => res.end('ok ' + req.url)).listen(cbPort, '127.0.0.1');
    service = await startTestService('pglite', { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, TEST_LOG_LEVEL: 'info' });
    browser = await launchChromium();
    scratchClients.set('app', {
      client_id: 'app',
      client_secret: createHash('sha256').update('s3cret').digest('hex'),
      redirect_uris: [callback],
      post_logout_redirect_uris: [callback],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      client_name: 'Demo App',
      scope: 'openid profile email offline_access',
    });
    const r = await fetch(`${service.url}/api/v1/users`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${service.adminToken}`, prefer: 'wait' }, body: JSON.stringify(newUserBody(1)) });
    expect(r.status).toBeLessThan(300);
  }, 60_000);
  afterAll(async () => { await browser?.close(); await service?.stop(); });

  it('signs in', async () => {
    const config = await oidc.discovery(new URL(service.url), 'app', 's3cret', oidc.ClientSecretBasic('s3cret'), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: callback, scope: 'openid profile email offline_access', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce, prompt: 'consent' });
    const page = await browser.newPage();
    await page.goto(url.href);
    await page.screenshot({ path: '/tmp/s1.png' });
    await page.fill('#email', 'person1@example.com');
    await page.fill('#password', 'compiler-pioneer-1952');
    await page.click('button[type=submit]');
    await page.waitForLoadState();
    await page.screenshot({ path: '/tmp/s2.png' });
    console.log(page.url(), (await page.content()).slice(0, 3000));
    if (!page.url().startsWith(callback)) { await page.click('button[value=allow]'); await page.waitForLoadState(); }
    console.log(page.url());
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    console.log(tokens.claims());
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    console.log(info);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    console.log(Object.keys(refreshed));
  }, 60_000);
});
