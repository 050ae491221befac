import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../observability/prometheus-server.js';
import { Mailbox } from '../support/mailbox.js';
import { login, newUserBody, startTestService, type TestService } from '../support/test-service.js';
import { chromiumAvailable, launchChromium } from './chromium.js';

/** What the page's CSP refused, as the browser reports it on the console (none expected). */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/**
 * What a newcomer does on `npm start`: signs up, opens the development mailbox, opens the mail,
 * follows its link to the PUBLIC_URL page and presses the button, in a real browser, under the
 * page's CSP (no script at all).
 */
describe.skipIf(!chromiumAvailable())('the verification link page in a real browser', () => {
  let service: TestService;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    [service, browser] = await Promise.all([
      startTestService('pglite', { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('mailbox → mail → link: the page shows a button, opening it spends nothing, the button confirms', async () => {
    const user = newUserBody('browser-verify');
    const response = await fetch(`${service.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(user),
    });
    expect(response.status).toBe(202);
    const mail = await new Mailbox(service.url).waitFor(user.email, 'email-verification');

    const page = await browser.newPage();
    const violations = cspViolations(page);
    await page.goto(`${service.url}/dev/mailbox`);
    await page.getByRole('link', { name: 'Confirm your email address' }).first().click();
    await page.getByRole('link', { name: /\/auth\/verify-email\?token=/ }).click();
    await page.getByRole('button', { name: 'Confirm my email address' }).waitFor();
    expect(page.url()).toBe(mail.link);
    // The mail scanner's visit: a reload of the page still finds the token unspent.
    await page.reload();
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await page.getByText('Your email address is confirmed').waitFor();
    expect(violations).toEqual([]);

    const login = await fetch(`${service.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const me = await fetch(`${service.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(((await me.json()) as { emailVerified: boolean }).emailVerified).toBe(true);
  });

  it('a change of address: the confirmation link opens the page, a reload spends nothing, the button moves the account', async () => {
    const user = newUserBody('browser-change', { locale: 'es' });
    const json = { 'content-type': 'application/json' };
    const register = await fetch(`${service.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { ...json, prefer: 'wait=10' },
      body: JSON.stringify(user),
    });
    expect(register.status).toBe(201);
    const { accessToken } = await login(service.url, user.email, user.password);
    const newEmail = 'browser-change-new@example.com';
    const asked = await fetch(`${service.url}/api/v1/auth/email/change`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ newEmail, currentPassword: user.password }),
    });
    expect(asked.status).toBe(202);
    const mail = await new Mailbox(service.url).waitFor(newEmail, 'email-change-confirmation');

    const context = await browser.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    const violations = cspViolations(page);
    await page.goto(`${service.url}/dev/mailbox`);
    await page.getByRole('link', { name: 'Confirma tu nueva dirección de correo' }).first().click();
    await page.getByRole('link', { name: /\/auth\/confirm-email-change\?token=/ }).click();
    expect(page.url()).toBe(mail.link);
    await page.reload();
    await page.getByRole('button', { name: 'Confirmar mi nueva dirección' }).click();
    await page.getByText('Tu cuenta usa ahora esta dirección de correo').waitFor();
    expect(violations).toEqual([]);
    await context.close();
    await login(service.url, newEmail, user.password);
  });
});
