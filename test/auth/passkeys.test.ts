import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresPasskeys } from '../../src/contexts/auth/infrastructure/persistence/postgres-passkeys.js';
import { JoseAccessTokens } from '../../src/contexts/auth/infrastructure/tokens/jose-access-tokens.js';
import { SigningKeyStore } from '../../src/contexts/auth/infrastructure/tokens/signing-key-store.js';
import { Mailbox } from '../support/mailbox.js';
import { postgresAvailable } from '../support/postgres.js';
import { login, newUserBody, startTestService, type Engine, type TestService } from '../support/test-service.js';
import { call, codeOf } from './support.js';

const engines: Engine[] =
  (await postgresAvailable()) || process.env.CI === 'true' ? ['pglite', 'postgres'] : ['pglite'];

type Json = Record<string, unknown>;

/** A response of the shape `PublicKeyCredential.toJSON()` gives, that verifies against nothing. */
function forgedResponse(challenge: string, id = 'AAAA') {
  const clientDataJSON = Buffer.from(
    JSON.stringify({ type: 'webauthn.get', challenge, origin: 'http://localhost:3000' }),
  ).toString('base64url');
  return {
    id,
    rawId: id,
    type: 'public-key',
    response: { clientDataJSON, authenticatorData: 'AAAA', signature: 'AAAA', attestationObject: 'AAAA' },
    clientExtensionResults: {},
  };
}

/**
 * The passkey routes that need no authenticator (the browser test makes and uses real ones): the
 * options, the refusals, recency, and list and removal of passkeys stored directly.
 */
describe.each(engines)('passkeys over HTTP (%s)', (engine) => {
  let service: TestService;
  let userId: string;
  const user = newUserBody(`passkeys${engine}`);
  const signIn = () => login(service.url, user.email, user.password);
  const json = async (response: Response) => (await response.json()) as Json;

  /** A genuine token of the same session whose sign-in is 10 minutes old: not "recent". */
  async function stale(accessToken: string): Promise<string> {
    const { config, database } = service.runtime;
    const keys = new SigningKeyStore(database, { accessTokenLifetimeSeconds: 900, algorithm: config.jwtAlgorithm });
    await keys.reload();
    const tokens = new JoseAccessTokens(keys, {
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      lifetimeSeconds: 900,
    });
    const { sub, sid } = decodeJwt(accessToken) as { sub: string; sid: string };
    const authTime = new Date(Date.now() - 10 * 60_000);
    return tokens.issue({ userId: sub, sessionId: sid, roles: ['user'], amr: ['pwd'], authTime });
  }

  const stored = (name: string, createdAt = new Date()) => ({
    id: randomUUID(),
    userId,
    credentialId: `cred-${randomUUID()}`,
    publicKey: 'pQECAyYgASFYIPublicKeyOnly',
    counter: 0,
    transports: ['internal'],
    name,
    createdAt,
    lastUsedAt: null,
  });

  beforeAll(async () => {
    service = await startTestService(engine, { RATE_LIMIT_LOGIN_PER_IP: '1000' });
    expect((await call(service, 'POST', '/api/v1/auth/register', user, null, { prefer: 'wait=10' })).status).toBe(201);
    userId = String(
      (await json(await call(service, 'GET', '/api/v1/auth/me', undefined, (await signIn()).accessToken))).id,
    );
  });
  afterAll(() => service.stop());

  it('answers creation options to a recent sign-in only: discoverable, for this user, no-store', async () => {
    const path = '/api/v1/auth/passkeys/registration/options';
    const { accessToken } = await signIn();
    expect(await codeOf(await call(service, 'POST', path))).toBe('unauthorized');
    const old = await call(service, 'POST', path, undefined, await stale(accessToken));
    expect([old.status, await codeOf(old)]).toEqual([401, 'reauthentication_required']);
    const response = await call(service, 'POST', path, undefined, accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const options = await json(response);
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'Portico' },
      user: { name: user.email },
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      excludeCredentials: [],
      attestation: 'none',
    });
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  it('answers the same request options for a known email, an unknown one and none', async () => {
    const path = '/api/v1/auth/passkeys/authentication/options';
    const answers = await Promise.all(
      [{ email: user.email }, { email: 'nobody@example.com' }, {}, undefined].map(async (body) => {
        const response = await call(service, 'POST', path, body);
        expect(response.status).toBe(200);
        return json(response);
      }),
    );
    const shape = (options: Json) => ({ ...options, challenge: typeof options.challenge });
    expect(new Set(answers.map((a) => JSON.stringify(shape(a)))).size).toBe(1);
    expect(answers[0]).toMatchObject({ rpId: 'localhost', allowCredentials: [], userVerification: 'preferred' });
    expect(new Set(answers.map((a) => a.challenge)).size).toBe(4);
    expect(await codeOf(await call(service, 'POST', path, { email: 'a@b.c', other: 1 }))).toBe('validation_failed');
  });

  it('refuses responses that do not verify: 400 at registration, 401 at sign-in, and a challenge once', async () => {
    const { accessToken } = await signIn();
    const creation = await json(
      await call(service, 'POST', '/api/v1/auth/passkeys/registration/options', undefined, accessToken),
    );
    const register = (body: unknown) => call(service, 'POST', '/api/v1/auth/passkeys/registration', body, accessToken);
    const bad = await register({ response: forgedResponse(String(creation.challenge)) });
    expect([bad.status, await codeOf(bad)]).toEqual([400, 'passkey_registration_failed']);
    expect(await codeOf(await register({ name: 'no response' }))).toBe('validation_failed');
    const anonymous = { response: forgedResponse(String(creation.challenge)) };
    expect((await call(service, 'POST', '/api/v1/auth/passkeys/registration', anonymous)).status).toBe(401);

    const request = await json(await call(service, 'POST', '/api/v1/auth/passkeys/authentication/options', {}));
    const authenticate = (body: unknown) => call(service, 'POST', '/api/v1/auth/passkeys/authentication', body);
    for (const response of [forgedResponse(String(request.challenge)), forgedResponse(String(request.challenge))]) {
      const refused = await authenticate({ response });
      expect([refused.status, await codeOf(refused)]).toEqual([401, 'passkey_invalid']);
    }
    expect(await codeOf(await authenticate({ response: { id: 'x' } }))).toBe('validation_failed');
  });

  it('lists the passkeys without key material; removes one (recent, own only), audited, ending other sessions', async () => {
    const [a, b] = [stored('Laptop', new Date(Date.now() - 1_000)), stored('Phone')];
    const store = new PostgresPasskeys(service.runtime.database);
    const here = await signIn();
    const elsewhere = await signIn();
    for (const p of [a, b]) await store.insert(p);
    const list = await call(service, 'GET', '/api/v1/auth/passkeys', undefined, here.accessToken);
    expect(await json(list)).toEqual({
      items: [a, b].map(({ id, name, createdAt }) => ({
        id,
        name,
        createdAt: createdAt.toISOString(),
        lastUsedAt: null,
      })),
    });
    expect((await call(service, 'GET', '/api/v1/auth/passkeys')).status).toBe(401);
    const login = await json(
      await call(service, 'POST', '/api/v1/auth/login', { email: user.email, password: user.password }),
    );
    expect(login).toMatchObject({ mfaRequired: true, methods: ['passkey'] });

    const remove = (id: string, token: string) =>
      call(service, 'DELETE', `/api/v1/auth/passkeys/${id}`, undefined, token);
    const old = await remove(a.id, await stale(here.accessToken));
    expect([old.status, await codeOf(old)]).toEqual([401, 'reauthentication_required']);
    expect((await remove(randomUUID(), here.accessToken)).status).toBe(404);
    expect(await codeOf(await remove('not-a-uuid', here.accessToken))).toBe('validation_failed');
    const admin = await remove(a.id, service.adminToken);
    expect([admin.status, await codeOf(admin)]).toEqual([404, 'not_found']);
    expect((await remove(a.id, here.accessToken)).status).toBe(204);
    expect((await remove(a.id, here.accessToken)).status).toBe(404);
    expect((await call(service, 'GET', '/api/v1/auth/me', undefined, elsewhere.accessToken)).status).toBe(401);
    const after = await json(await call(service, 'GET', '/api/v1/auth/passkeys', undefined, here.accessToken));
    expect((after.items as Json[]).map((p) => p.id)).toEqual([b.id]);

    expect((await call(service, 'DELETE', `/api/v1/users/${userId}/mfa`, undefined, service.adminToken)).status).toBe(
      204,
    );
    expect((await call(service, 'GET', '/api/v1/auth/me', undefined, here.accessToken)).status).toBe(401);
    const audit = await json(
      await call(service, 'GET', `/api/v1/users/${userId}/audit`, undefined, service.adminToken),
    );
    const types = (audit.items as { type: string }[]).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['auth.mfa.passkey_removed', 'auth.mfa.removed']));
    const { accessToken } = await signIn();
    const none = await json(await call(service, 'GET', '/api/v1/auth/passkeys', undefined, accessToken));
    expect(none).toEqual({ items: [] });
    const mailbox = new Mailbox(service.url);
    const removedByUser = await mailbox.waitFor(user.email, 'second-factor-changed', 1);
    const removedByAdmin = await mailbox.waitFor(user.email, 'second-factor-changed', 2);
    expect(removedByUser.parsed.text).toContain('A passkey was removed from your account.');
    expect(removedByUser.parsed.text).toContain('every other session of your account ended');
    expect(removedByAdmin.parsed.text).toContain('An administrator made this change');
  });

  it('answers any credential-shaped response 400 or 401 (registration 400), never an error of its own', async () => {
    const { accessToken } = await signIn();
    const b64 = fc.uint8Array({ maxLength: 48 }).map((bytes) => Buffer.from(bytes).toString('base64url'));
    const issued = await json(await call(service, 'POST', '/api/v1/auth/passkeys/authentication/options', {}));
    const clientData = fc.oneof(
      b64,
      fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
      fc
        .record({
          type: fc.constantFrom('webauthn.get', 'webauthn.create', 7),
          challenge: fc.oneof(fc.string(), fc.constant(String(issued.challenge)), fc.integer()),
          origin: fc.constantFrom('http://localhost:3000', 'https://evil.test', ''),
        })
        .map((data) => Buffer.from(JSON.stringify(data)).toString('base64url')),
    );
    const credential = fc.record({
      id: b64,
      rawId: b64,
      type: fc.constant('public-key'),
      response: fc.record({
        clientDataJSON: clientData,
        attestationObject: b64,
        authenticatorData: b64,
        signature: b64,
        userHandle: b64,
      }),
      clientExtensionResults: fc.constant({}),
    });
    await fc.assert(
      fc.asyncProperty(credential, async (response) => {
        const signedIn = await call(service, 'POST', '/api/v1/auth/passkeys/authentication', { response });
        expect([400, 401]).toContain(signedIn.status);
        const body = { response };
        const registered = await call(service, 'POST', '/api/v1/auth/passkeys/registration', body, accessToken);
        expect(registered.status).toBe(400);
      }),
      { numRuns: 25 },
    );
  });
});
