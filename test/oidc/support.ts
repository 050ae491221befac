import { createHash, randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { scratchClients } from '../../src/contexts/oidc/oidc.context.js';
import { call } from '../auth/support.js';
import type { TestService } from '../support/test-service.js';

export interface RegisteredClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Registers an application as an admin would (confidential, third-party unless told). */
export async function registerClient(
  service: TestService,
  body: { name: string; redirectUris: string[]; postLogoutRedirectUris?: string[]; firstParty?: boolean; grantTypes?: string[] },
): Promise<RegisteredClient> {
  const clientId = `client-${randomBytes(6).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('base64url');
  scratchClients.set(clientId, {
    client_id: clientId,
    client_secret: createHash('sha256').update(clientSecret).digest('hex'),
    client_name: body.name,
    redirect_uris: body.redirectUris,
    post_logout_redirect_uris: body.postLogoutRedirectUris ?? [],
    grant_types: body.grantTypes ?? ['authorization_code', 'refresh_token'],
    response_types: (body.grantTypes ?? ['authorization_code']).includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid profile email offline_access',
    first_party: body.firstParty ?? false,
  });
  void call;
  return { clientId, clientSecret };
}

/** Fills the hosted sign-in page and submits it. */
export async function signInOnPage(page: Page, email: string, password: string): Promise<void> {
  await expect.poll(() => page.locator('#email').count()).toBe(1);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState(), page.click('button[type=submit] >> nth=0')]);
}

export async function submitCode(page: Page, code: string): Promise<void> {
  await page.fill('#code', code);
  await Promise.all([page.waitForLoadState(), page.click('button[type=submit] >> nth=0')]);
}

export async function allow(page: Page): Promise<void> {
  await Promise.all([page.waitForURL((url) => !url.pathname.includes('/oidc/interaction/')), page.click('button[value=allow]')]);
}

/** A fresh browser context: its own cookies, as another person's browser. */
export async function freshPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  return context.newPage();
}
