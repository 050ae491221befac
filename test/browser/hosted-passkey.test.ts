import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../auth/support.js';
import { allow, freshPage, startOidcScene, type OidcScene } from '../oidc/support.js';
import { login } from '../support/test-service.js';
import { chromiumAvailable } from './chromium.js';
import { virtualAuthenticator } from './virtual-authenticator.js';

const PASSWORD = 'compiler-pioneer-1952';

/** What the page script uses of the browser's WebAuthn API (the tests compile without the DOM types). */
interface PageWebAuthn {
  PublicKeyCredential: { parseCreationOptionsFromJSON(o: unknown): unknown };
  navigator: { credentials: { create(o: { publicKey: unknown }): Promise<{ toJSON(): unknown }> } };
}

/**
 * The passkey on the hosted sign-in page, in Chromium with a virtual authenticator: the account
 * registers a passkey through the API, then an application's sign-in finishes with it alone, and
 * the ID token says so (`amr: ["hwk"]`). Portico is reached on `localhost` (WebAuthn needs a name).
 */
describe.skipIf(!chromiumAvailable())('a passkey on the hosted sign-in page', () => {
  let scene: OidcScene;
  let page: Page;

  beforeAll(async () => {
    scene = await startOidcScene('pglite', ['hostedkey'], {}, 'localhost');
    const { service, browser } = scene;
    const { accessToken } = await login(service.url, 'personhostedkey@example.com', PASSWORD);
    page = await freshPage(browser);
    await page.goto(`${service.url}/.well-known/jwks.json`);
    await virtualAuthenticator(page);
    const options = await (
      await call(service, 'POST', '/api/v1/auth/passkeys/registration/options', undefined, accessToken)
    ).json();
    const attestation = await page.evaluate(async (creation) => {
      const { PublicKeyCredential, navigator } = globalThis as unknown as PageWebAuthn;
      return (
        await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(creation) })
      ).toJSON();
    }, options);
    const registered = await call(
      service,
      'POST',
      '/api/v1/auth/passkeys/registration',
      { response: attestation, name: 'Laptop' },
      accessToken,
    );
    expect(registered.status).toBe(201);
  }, 120_000);
  afterAll(() => scene?.stop());

  it('signs in with the passkey alone, and the ID token says hwk', async () => {
    const { rp } = scene;
    await page.goto(`${rp.url}/login`);
    const button = page.locator('#passkey-sign-in');
    await expect.poll(() => button.isVisible()).toBe(true);
    await button.click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Allow access?');
    await allow(page);
    expect(await page.locator('#amr').textContent()).toBe('hwk');
    expect(await page.locator('#email').textContent()).toBe('personhostedkey@example.com');
  });

  it('refuses a forged answer as the API does, and the page still works', async () => {
    const { rp, browser } = scene;
    const page = await freshPage(browser);
    await page.goto(`${rp.url}/login`);
    const uid = new URL(page.url()).pathname.split('/')[3]!;
    const csrf = await page.locator('#passkey-sign-in').getAttribute('data-csrf');
    const forged = await page.evaluate(
      async ([action, token]) =>
        (
          await fetch(action!, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              csrf: token,
              response: {
                id: 'x',
                rawId: 'x',
                type: 'public-key',
                response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
              },
            }),
          })
        ).status,
      [`/oidc/interaction/${uid}/passkey`, csrf],
    );
    expect(forged).toBe(401);
    const withoutCsrf = await page.evaluate(
      async (action) =>
        (
          await fetch(action, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"csrf":"forged"}',
          })
        ).status,
      `/oidc/interaction/${uid}/passkey/options`,
    );
    expect(withoutCsrf).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Sign in');
  });
});
