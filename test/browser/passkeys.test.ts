import { decodeJwt } from 'jose';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../observability/prometheus-server.js';
import { login, newUserBody, startTestService, type TestService, type Tokens } from '../support/test-service.js';
import { chromiumAvailable, launchChromium } from './chromium.js';

type Json = Record<string, unknown>;

/** What the page script uses of the browser's WebAuthn API (the tests compile without the DOM types). */
interface PageWebAuthn {
  PublicKeyCredential: {
    parseCreationOptionsFromJSON(o: unknown): unknown;
    parseRequestOptionsFromJSON(o: unknown): unknown;
  };
  navigator: { credentials: Record<'create' | 'get', (o: { publicKey: unknown }) => Promise<{ toJSON(): Json }>> };
}

/**
 * Passkeys for real: headless Chromium with the DevTools virtual authenticator (CTAP2, internal,
 * resident keys, user verification) makes and uses the credential; the service is reached on
 * `http://localhost:PORT`, since browsers refuse WebAuthn on IP-address origins.
 */
describe.skipIf(!chromiumAvailable())('passkeys in a real browser (virtual authenticator)', () => {
  let service: TestService;
  let browser: Browser;
  let origin: string;
  const transcript: string[] = [];
  const say = (line: string) => transcript.push(line);

  /** A call to the API (from the test, as a client would), its status in the transcript. */
  async function call(method: string, path: string, body?: unknown, token?: string) {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = (text ? JSON.parse(text) : null) as Json;
    say(`${method} ${path} → ${response.status}${json && 'code' in json ? ` ${String(json.code)}` : ''}`);
    return { status: response.status, body: json };
  }

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    [service, browser] = await Promise.all([
      startTestService('pglite', { PORT: String(port), PUBLIC_URL: origin }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    console.log(`passkey browser transcript:\n  ${transcript.join('\n  ')}`);
    await browser?.close();
    await service?.stop();
  });

  it('registers a passkey, signs in with it twice (counter grows), refuses a replay and a cloned key', async () => {
    const user = newUserBody('passkey-browser');
    expect((await call('POST', '/api/v1/auth/register', user)).status).toBe(202);
    await expect
      .poll(() =>
        login(service.url, user.email, user.password).then(
          () => true,
          () => false,
        ),
      )
      .toBe(true);
    const { accessToken } = await login(service.url, user.email, user.password);
    say('password login → 200 (amr pwd)');

    const page = await browser.newPage();
    await page.goto(`${origin}/.well-known/jwks.json`);
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    say(`page ${origin}, virtual authenticator ${authenticatorId.slice(0, 8)}… (ctap2, internal, resident key, UV)`);

    const creation = await call('POST', '/api/v1/auth/passkeys/registration/options', undefined, accessToken);
    expect(creation.status).toBe(200);
    expect(creation.body).toMatchObject({
      rp: { id: 'localhost' },
      authenticatorSelection: { residentKey: 'required' },
    });
    const attestation = await page.evaluate(async (options) => {
      const { PublicKeyCredential, navigator } = globalThis as unknown as PageWebAuthn;
      const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options);
      return (await navigator.credentials.create({ publicKey })).toJSON();
    }, creation.body);
    say('navigator.credentials.create() → a credential');
    const registered = await call(
      'POST',
      '/api/v1/auth/passkeys/registration',
      { response: attestation, name: 'Laptop' },
      accessToken,
    );
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ name: 'Laptop' });
    const replayedRegistration = await call(
      'POST',
      '/api/v1/auth/passkeys/registration',
      { response: attestation },
      accessToken,
    );
    expect(replayedRegistration.body.code).toBe('passkey_registration_failed');

    const signIn = async () => {
      const request = await call('POST', '/api/v1/auth/passkeys/authentication/options', {});
      expect(request.body.allowCredentials).toEqual([]);
      return page.evaluate(async (options) => {
        const { PublicKeyCredential, navigator } = globalThis as unknown as PageWebAuthn;
        const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options);
        return (await navigator.credentials.get({ publicKey })).toJSON();
      }, request.body);
    };
    const first = await signIn();
    const tokens = await call('POST', '/api/v1/auth/passkeys/authentication', { response: first });
    expect(tokens.status).toBe(200);
    const { amr } = decodeJwt((tokens.body as unknown as Tokens).accessToken) as { amr: string[] };
    expect(amr).toEqual(['hwk']);
    say(`  access token amr ${JSON.stringify(amr)}`);
    const me = await call('GET', '/api/v1/auth/me', undefined, (tokens.body as unknown as Tokens).accessToken);
    expect(me.body.email).toBe(user.email);

    const second = await call('POST', '/api/v1/auth/passkeys/authentication', { response: await signIn() });
    expect(second.status).toBe(200);
    const counter = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0]!.signCount;
    say(`  authenticator sign counter now ${counter}`);
    const replay = await call('POST', '/api/v1/auth/passkeys/authentication', { response: first });
    expect([replay.status, replay.body.code]).toEqual([401, 'passkey_invalid']);

    await cloneWithCounterReset(cdp, authenticatorId);
    say('  the key is cloned: same private key, sign counter back to 0');
    const cloned = await call('POST', '/api/v1/auth/passkeys/authentication', { response: await signIn() });
    expect([cloned.status, cloned.body.code]).toEqual([401, 'passkey_invalid']);

    const list = await call('GET', '/api/v1/auth/passkeys', undefined, (tokens.body as unknown as Tokens).accessToken);
    expect(list.body.items).toEqual([expect.objectContaining({ name: 'Laptop', lastUsedAt: expect.any(String) })]);
    const password = await call('POST', '/api/v1/auth/login', { email: user.email, password: user.password });
    expect(password.body).toMatchObject({ mfaRequired: true, methods: ['passkey'] });
    say(`  password login now answers mfaRequired, methods ${JSON.stringify(password.body.methods)}`);
  }, 60_000);
});

/** The DevTools virtual authenticator of a platform passkey provider: CTAP2, resident keys, user verified. */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** What a cloned key looks like to the server: the same credential, its counter starting over. */
async function cloneWithCounterReset(cdp: CDPSession, authenticatorId: string): Promise<void> {
  const [credential] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
  await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: credential!.credentialId });
  await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...credential!, signCount: 0 } });
}
