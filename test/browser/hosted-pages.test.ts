import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../auth/support.js';
import { totpCode, type Enrolment } from '../auth/mfa-support.js';
import type { RelyingParty } from '../oidc/express-relying-party.js';
import { signInOnPage, startOidcScene, submitCode, type OidcScene } from '../oidc/support.js';
import { login, type TestService } from '../support/test-service.js';
import { chromiumAvailable } from './chromium.js';

const AXE = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
const SHOTS = '.tmp/screenshots';
const PASSWORD = 'compiler-pioneer-1952';
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: unknown[];
}

/**
 * Every hosted page, as a person sees it: a screenshot at desktop and phone width, nothing wider
 * than the phone, and axe-core (WCAG 2 A/AA rules) finding no serious or critical violation.
 */
describe.skipIf(!chromiumAvailable())('hosted sign-in pages in Chromium: look, phone width, accessibility', () => {
  let service: TestService;
  let browser: Browser;
  let rp: RelyingParty;
  let secret = '';

  async function inspect(page: Page, name: string): Promise<void> {
    for (const [viewport, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await page.screenshot({ path: `${SHOTS}/${name}-${viewport}.png`, fullPage: true });
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
      expect(overflow, `${name} at ${viewport} width`).toBeLessThanOrEqual(0);
    }
    await page.addScriptTag({ content: AXE });
    const violations = (await page.evaluate('axe.run().then((result) => result.violations)')) as AxeViolation[];
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    expect(serious, name).toEqual([]);
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  /** A browser of its own; CSP bypassed only so the test can inject axe (the pages allow no script). */
  const newPage = async (locale = 'en-US') =>
    (await browser.newContext({ bypassCSP: true, locale, viewport: VIEWPORTS.desktop })).newPage();

  let scene: OidcScene;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    scene = await startOidcScene('pglite', ['pages']);
    ({ service, browser, rp } = scene);
    const api = await login(service.url, 'personpages@example.com', PASSWORD);
    secret = (
      (await (await call(service, 'POST', '/api/v1/auth/mfa/totp', undefined, api.accessToken)).json()) as Enrolment
    ).secret;
    await call(service, 'POST', '/api/v1/auth/mfa/totp/confirm', { code: totpCode(secret) }, api.accessToken);
  }, 120_000);
  afterAll(() => scene?.stop());

  it('sign-in, refusal, second factor, consent, logout and signed-out pages', async () => {
    const page = await newPage();
    await page.goto(`${rp.url}/login`);
    await inspect(page, 'sign-in');
    await signInOnPage(page, 'personpages@example.com', 'not-the-password');
    await inspect(page, 'sign-in-refused');
    await signInOnPage(page, 'personpages@example.com', PASSWORD);
    await inspect(page, 'second-factor');
    await submitCode(page, totpCode(secret, 1));
    expect(await page.locator('h1').textContent()).toBe('Allow access?');
    await inspect(page, 'consent');
    await Promise.all([page.waitForURL(/\/callback/), page.click('button[value=allow]')]);
    await page.goto(`${rp.url}/logout`);
    await inspect(page, 'logout');
    await Promise.all([page.waitForURL(rp.signedOut), page.click('button[value=yes]')]);
    // Where a logout without a post_logout_redirect_uri ends.
    await page.goto(`${service.url}/oidc/session/end/success`);
    expect(await page.locator('h1').textContent()).toBe('You are signed out');
    await inspect(page, 'signed-out');
  });

  it('the error page, and the Spanish sign-in page', async () => {
    const page = await newPage('es-ES');
    await page.goto(`${service.url}/oidc/auth?client_id=nobody&response_type=code&scope=openid`);
    expect(await page.locator('code').textContent()).toBe('invalid_client');
    await inspect(page, 'error');
    await page.goto(`${rp.url}/login`);
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    expect(await page.locator('h1').textContent()).toBe('Iniciar sesión');
    await inspect(page, 'sign-in-es');
  });
});
