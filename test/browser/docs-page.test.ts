import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.js';
import { chromiumAvailable, launchChromium } from './chromium.js';

describe.skipIf(!chromiumAvailable())('the /docs page in a real browser', () => {
  let service: TestService;
  let browser: Browser;

  beforeAll(async () => {
    [service, browser] = await Promise.all([startTestService('pglite'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('renders Swagger UI under its strict CSP, with every context tag and an Authorize button', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(`${service.url}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.getByRole('button', { name: /authorize/i }).waitFor({ timeout: 15_000 });
    const tags = await page.locator('.opblock-tag').allInnerTexts();
    expect(tags.map((t) => t.split('\n')[0]!.trim().toLowerCase())).toEqual(
      expect.arrayContaining(['users', 'auth', 'commands', 'operations']),
    );
    mkdirSync('.tmp', { recursive: true });
    await page.screenshot({ path: '.tmp/docs.png', fullPage: false });
    expect(violations).toEqual([]);
  });

  it('refuses to be framed by another page', async () => {
    const page = await browser.newPage();
    await page.setContent(`<iframe id="docs" src="${service.url}/docs"></iframe>`);
    await page.waitForTimeout(1_000);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    // A blocked frame never gets the document: Swagger UI's root element is not there.
    const rendered = await frame?.locator('#swagger-ui').count().catch(() => 0);
    expect(rendered ?? 0).toBe(0);
  });
});
