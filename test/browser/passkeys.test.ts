import { decodeJwt } from 'jose';
import type { Browser, CDPSession } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../observability/prometheus-server.js';
import { OpenApiDocument } from '../openapi/conformance.js';
import { Mailbox } from '../support/mailbox.js';
import { startRecordingProxy, type RecordingProxy } from '../openapi/recording-proxy.js';
import { login, newUserBody, startTestService, type TestService, type Tokens } from '../support/test-service.js';
import { expectNoSecretInTables } from '../auth/support.js';
import { chromiumAvailable, launchChromium } from './chromium.js';
import { virtualAuthenticator } from './virtual-authenticator.js';

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
  let proxy: RecordingProxy;
  let browser: Browser;
  let origin: string;
  const transcript: string[] = [];
  /** Every challenge and token the service handed out: in their answers and nowhere else. */
  const handedOut: string[] = [];
  const logLines: string[] = [];
  const say = (line: string) => transcript.push(line);

  /** A call to the API (from the test, as a client would, through the recording proxy), its status in the transcript. */
  async function call(method: string, path: string, body?: unknown, token?: string) {
    const response = await fetch(`${proxy.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = (text ? JSON.parse(text) : null) as Json;
    for (const field of ['challenge', 'accessToken', 'refreshToken', 'mfaToken'])
      if (typeof json?.[field] === 'string') handedOut.push(json[field]);
    say(`${method} ${path} → ${response.status}${json && 'code' in json ? ` ${String(json.code)}` : ''}`);
    return { status: response.status, body: json };
  }

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    [service, browser] = await Promise.all([
      startTestService('pglite', { PORT: String(port), PUBLIC_URL: origin }, { logLines }),
      launchChromium(),
    ]);
    proxy = await startRecordingProxy(service.url);
  });
  afterAll(async () => {
    console.log(`passkey browser transcript:\n  ${transcript.join('\n  ')}`);
    await browser?.close();
    await proxy?.close();
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
    const notice = await new Mailbox(service.url).waitFor(user.email, 'second-factor-changed');
    expect(notice.parsed.text).toContain('A passkey was added to your account.');
    say(`  notice mail: "${notice.subject}" (A passkey was added to your account.)`);
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
    say("    (the first sign-in's response again: its challenge is spent)");

    const genuine = await cloneWithCounterReset(cdp, authenticatorId);
    say('  the key is cloned: same private key, sign counter back to 0');
    const cloned = await call('POST', '/api/v1/auth/passkeys/authentication', { response: await signIn() });
    expect([cloned.status, cloned.body.code]).toEqual([401, 'passkey_invalid']);
    await replaceCredential(cdp, authenticatorId, genuine);
    say(`  the genuine key again (counter ${genuine.signCount})`);

    const list = await call('GET', '/api/v1/auth/passkeys', undefined, (tokens.body as unknown as Tokens).accessToken);
    expect(list.body.items).toEqual([expect.objectContaining({ name: 'Laptop', lastUsedAt: expect.any(String) })]);
    const password = await call('POST', '/api/v1/auth/login', { email: user.email, password: user.password });
    expect(password.body).toMatchObject({ mfaRequired: true, methods: ['passkey'] });
    say(`  password login now answers mfaRequired, methods ${JSON.stringify(password.body.methods)}`);

    const fresh = (await call('POST', '/api/v1/auth/passkeys/authentication', { response: await signIn() })).body;
    const id = String((list.body.items as Json[])[0]!.id);
    const removed = await call(
      'DELETE',
      `/api/v1/auth/passkeys/${id}`,
      undefined,
      (fresh as unknown as Tokens).accessToken,
    );
    expect(removed.status).toBe(204);
    expect(
      (await call('POST', '/api/v1/auth/login', { email: user.email, password: user.password })).body,
    ).toHaveProperty('accessToken');
    say('    the password alone signs in again: no factor left');
  }, 60_000);

  it('answered what /openapi.json declares, for the real credentials too', async () => {
    const { document, problems } = await OpenApiDocument.load(
      (await (await fetch(`${proxy.url}/openapi.json`)).json()) as Json,
    );
    expect(problems).toEqual([]);
    const exchanges = proxy.exchanges.filter((exchange) => exchange.url.startsWith('/api/v1/auth/passkeys'));
    const verdicts = [];
    for (const exchange of exchanges) verdicts.push(await document.check(exchange));
    expect(new Set(verdicts.map((v) => v.operation)).size).toBe(6);
    expect(verdicts.flatMap((v) => v.violations.map((violation) => `${v.operation}: ${violation}`))).toEqual([]);
    say(`${exchanges.length} exchanges on the 6 passkey operations conform to /openapi.json`);
  }, 60_000);

  it('keeps no challenge or token it handed out in a table, an event or a log line', async () => {
    expect(handedOut.length).toBeGreaterThan(10);
    const { tables } = await expectNoSecretInTables(service.runtime.database, handedOut);
    expect(tables).toEqual(expect.arrayContaining(['auth.passkeys', 'auth.passkey_challenges', 'messaging.outbox']));
    expect(logLines.length).toBeGreaterThan(10);
    for (const line of logLines) for (const secret of handedOut) expect(line).not.toContain(secret);
    say(
      `${handedOut.length} challenges and tokens handed out: none in ${tables.length} tables or ${logLines.length} log lines`,
    );
  });
});

/** The DevTools virtual authenticator of a platform passkey provider: CTAP2, resident keys, user verified. */
/** A credential of the virtual authenticator (its private key included), as DevTools gives it. */
interface Credential {
  credentialId: string;
  isResidentCredential: boolean;
  privateKey: string;
  signCount: number;
  rpId?: string;
  userHandle?: string;
}

/** What a cloned key looks like to the server: the same credential, its counter starting over. Answers the genuine one. */
async function cloneWithCounterReset(cdp: CDPSession, authenticatorId: string): Promise<Credential> {
  const [genuine] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
  await replaceCredential(cdp, authenticatorId, { ...genuine!, signCount: 0 });
  return genuine!;
}

async function replaceCredential(cdp: CDPSession, authenticatorId: string, credential: Credential): Promise<void> {
  await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: credential.credentialId });
  await cdp.send('WebAuthn.addCredential', { authenticatorId, credential });
}
