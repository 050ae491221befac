import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { call } from '../auth/support.js';
import { launchChromium } from '../browser/chromium.js';
import { freePort } from '../observability/prometheus-server.js';
import { newUserBody, startTestService, type Engine, type TestService } from '../support/test-service.js';
import { startRelyingParty, type RelyingParty } from './express-relying-party.js';

export interface RegisteredClient {
  readonly clientId: string;
  /** Absent for a public client. */
  readonly clientSecret: string;
  readonly tokenEndpointAuthMethod: string;
}

/** Registers an application as an admin would, through the admin API (confidential, third-party unless told). */
export async function registerClient(
  service: TestService,
  body: {
    name: string;
    redirectUris: string[];
    postLogoutRedirectUris?: string[];
    firstParty?: boolean;
    grantTypes?: string[];
    public?: boolean;
  },
): Promise<RegisteredClient> {
  const created = await call(service, 'POST', '/api/v1/oauth/clients', body, service.adminToken);
  const answer = (await created.json()) as RegisteredClient;
  expect(created.status, JSON.stringify(answer)).toBe(201);
  return answer;
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
  await Promise.all([
    page.waitForURL((url) => !url.pathname.includes('/oidc/interaction/')),
    page.click('button[value=allow]'),
  ]);
}

/** A fresh browser context: its own cookies, as another person's browser. */
export async function freshPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  return context.newPage();
}

/** A service whose issuer is its own URL, Chromium beside it, and the Express application registered as its client. */
export interface OidcScene {
  readonly service: TestService;
  readonly browser: Browser;
  readonly rp: RelyingParty;
  stop(): Promise<void>;
}

/** Starts the scene, with `users` signed up (person<name>@example.com) and applied. */
export async function startOidcScene(
  engine: Engine,
  users: readonly string[],
  env: Record<string, string> = {},
  /** `localhost` for passkeys: browsers refuse WebAuthn on IP-address origins. */
  host = '127.0.0.1',
): Promise<OidcScene> {
  const port = await freePort();
  const [service, browser] = await Promise.all([
    startTestService(engine, { PORT: String(port), PUBLIC_URL: `http://${host}:${port}`, ...env }),
    launchChromium(),
  ]);
  for (const name of users) {
    const created = await call(service, 'POST', '/api/v1/auth/register', newUserBody(name), null, {
      prefer: 'wait=10',
    });
    expect(created.status).toBe(201);
  }
  const rp = await startRelyingParty(service.url, ({ callback, signedOut }) =>
    registerClient(service, { name: 'Notes App', redirectUris: [callback], postLogoutRedirectUris: [signedOut] }),
  );
  return {
    service,
    browser,
    rp,
    stop: async () => {
      await rp.close();
      await browser.close();
      await service.stop();
    },
  };
}
