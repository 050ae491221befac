import { sql } from 'drizzle-orm';
import {
  SignJWT,
  decodeProtectedHeader,
  exportSPKI,
  importJWK,
  type CryptoKey,
  type JWK,
  type JWTHeaderParameters,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SIGNING_ALGORITHMS,
  generateSigningKeyPair,
  type SigningAlgorithm,
} from '../../src/contexts/auth/infrastructure/tokens/signing-algorithm.js';
import { SigningKeyStore } from '../../src/contexts/auth/infrastructure/tokens/signing-key-store.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { call, codeOf } from './support.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

/** Every forged, altered or misdirected access token is refused with 401 and a Bearer challenge. */
describe.each(SIGNING_ALGORITHMS)('auth: %s access tokens that must be refused', (algorithm: SigningAlgorithm) => {
  let service: TestService;
  let keys: SigningKeyStore;
  let genuine: { sub: string; sid: string; roles: string[] };
  const claims = () => ({ sub: genuine.sub, sid: genuine.sid, roles: genuine.roles });
  const issuer = () => service.runtime.config.jwtIssuer;
  const audience = () => service.runtime.config.jwtAudience;
  const header = () => ({ alg: algorithm, kid: keys.current().kid, typ: 'at+jwt' });

  const expectRefused = async (token: string) => {
    const response = await call(service, 'GET', '/api/v1/users', undefined, token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(await codeOf(response)).toBe('unauthorized');
  };

  beforeAll(async () => {
    service = await startTestService('pglite', { JWT_ALGORITHM: algorithm });
    keys = new SigningKeyStore(service.runtime.database, { accessTokenLifetimeSeconds: 900, algorithm });
    await keys.reload();
    genuine = payloadOf(service.adminToken);
  });
  afterAll(() => service.stop());

  it('accepts the genuine admin token, an RFC 9068 token of the newest key (the control case)', async () => {
    expect((await call(service, 'GET', '/api/v1/users', undefined, service.adminToken)).status).toBe(200);
    expect(decodeProtectedHeader(service.adminToken)).toEqual(header());
    expect(Object.keys(payloadOf(service.adminToken)).sort()).toEqual(
      ['amr', 'aud', 'auth_time', 'exp', 'iat', 'iss', 'jti', 'roles', 'sid', 'sub'].sort(),
    );
  });

  it('publishes the key in the JWKS with kid, alg, use and its public parameters only', async () => {
    const { keys: published } = (await (await fetch(`${service.url}/.well-known/jwks.json`)).json()) as {
      keys: Record<string, string>[];
    };
    const [kty, ...parameters] = {
      RS256: ['RSA', 'e', 'n'],
      ES256: ['EC', 'crv', 'x', 'y'],
      EdDSA: ['OKP', 'crv', 'x'],
    }[algorithm];
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ kid: keys.current().kid, alg: algorithm, use: 'sig', kty });
    expect(Object.keys(published[0]!).sort()).toEqual(['alg', 'kid', 'kty', 'use', ...parameters].sort());
  });

  it('accepts what the test signs with the service key when every claim is right (the control of signed())', async () => {
    expect((await call(service, 'GET', '/api/v1/users', undefined, await signed(serviceKey()))).status).toBe(200);
  });

  it('refuses alg: none', async () => {
    const kid = keys.current().kid;
    await expectRefused(
      `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64({ ...claims(), iss: issuer(), aud: audience(), exp: 9e9 })}.`,
    );
  });

  it('refuses HS256 signed with the public key as the secret (JWK, PEM, raw parameter)', async () => {
    const { publicJwk, kid } = keys.current();
    const pem = await exportSPKI(keys.published().find((k) => k.kid === kid)!.key);
    for (const secret of [JSON.stringify(publicJwk), pem, String(publicJwk.n ?? publicJwk.x)]) {
      await expectRefused(await signed(new TextEncoder().encode(secret), { ...header(), alg: 'HS256' }));
    }
  });

  it("refuses a token that names the key but another of Portico's algorithms", async () => {
    for (const other of SIGNING_ALGORITHMS.filter((a) => a !== algorithm)) {
      const { privateKey } = await generateSigningKeyPair(other);
      await expectRefused(await signed(privateKey, { ...header(), alg: other }));
    }
  });

  it.runIf(algorithm === 'RS256')('refuses PS256 signed with the genuine RSA private key', async () => {
    const { rows } = await service.runtime.database.query<{ private_jwk: JWK }>(
      sql`select private_jwk from auth.signing_keys where kid = ${keys.current().kid}`,
    );
    const { alg: _pinned, ...material } = rows[0]!.private_jwk;
    await expectRefused(await signed(await importJWK(material, 'PS256'), { ...header(), alg: 'PS256' }));
  });

  it('refuses a token of another type than at+jwt (an ID token, say), or of none', async () => {
    for (const typ of ['JWT', 'id+jwt']) await expectRefused(await signed(serviceKey(), { ...header(), typ }));
    await expectRefused(await signed(serviceKey(), { alg: algorithm, kid: keys.current().kid }));
  });

  it('refuses a tampered payload', async () => {
    const [head, , signature] = service.adminToken.split('.');
    const payload = payloadOf(service.adminToken);
    await expectRefused(`${head}.${b64({ ...payload, sub: '00000000-0000-7000-8000-00000000beef' })}.${signature}`);
  });

  it('refuses an expired token, and one without exp', async () => {
    const past = Math.floor(Date.now() / 1000) - 120;
    await expectRefused(
      await signed(serviceKey(), header(), (jwt) =>
        jwt.setIssuer(issuer()).setAudience(audience()).setExpirationTime(past),
      ),
    );
    await expectRefused(await signed(serviceKey(), header(), (jwt) => jwt.setIssuer(issuer()).setAudience(audience())));
  });

  it('refuses a wrong audience and a wrong issuer', async () => {
    await expectRefused(
      await signed(serviceKey(), header(), (jwt) =>
        jwt.setIssuer(issuer()).setAudience('someone-else').setExpirationTime('5m'),
      ),
    );
    await expectRefused(
      await signed(serviceKey(), header(), (jwt) =>
        jwt.setIssuer('https://evil.example').setAudience(audience()).setExpirationTime('5m'),
      ),
    );
  });

  it('refuses an unknown kid and a token without kid', async () => {
    const { privateKey } = await generateSigningKeyPair(algorithm);
    await expectRefused(await signed(privateKey, { ...header(), kid: 'not-one-of-ours' }));
    await expectRefused(await signed(serviceKey(), { alg: algorithm, typ: 'at+jwt' }));
  });

  it('refuses garbage and a wrong scheme', async () => {
    await expectRefused('not.a.jwt');
    const basic = await fetch(`${service.url}/api/v1/users`, { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(basic.status).toBe(401);
  });

  /** The service's real private key, so only the claim or header under test is wrong. */
  function serviceKey(): CryptoKey {
    return keys.current().key;
  }

  /** `claims()` under `protectedHeader`, signed by `key`; iss, aud and a 5-minute exp unless `configure` says otherwise. */
  function signed(
    key: CryptoKey | Uint8Array,
    protectedHeader: JWTHeaderParameters = header(),
    configure = (jwt: SignJWT) => jwt.setIssuer(issuer()).setAudience(audience()).setExpirationTime('5m'),
  ): Promise<string> {
    return configure(new SignJWT(claims()).setProtectedHeader(protectedHeader)).sign(key);
  }
});
