import { SignJWT, generateKeyPair, exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningKeyStore } from '../../src/contexts/auth/infrastructure/tokens/signing-key-store.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { call, codeOf } from './support.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Every forged, altered or misdirected access token is refused with 401 and a Bearer challenge. */
describe('auth: access tokens that must be refused', () => {
  let service: TestService;
  let keys: SigningKeyStore;
  let adminId: string;
  const claims = () => ({ sub: adminId, sid: '00000000-0000-7000-8000-000000000000', roles: ['admin'] });
  const issuer = () => service.runtime.config.jwtIssuer;
  const audience = () => service.runtime.config.jwtAudience;

  const expectRefused = async (token: string) => {
    const response = await call(service, 'GET', '/api/v1/users', undefined, token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(await codeOf(response)).toBe('unauthorized');
  };

  beforeAll(async () => {
    service = await startTestService('pglite');
    keys = new SigningKeyStore(service.runtime.database, 900);
    await keys.reload();
    adminId = JSON.parse(Buffer.from(service.adminToken!.split('.')[1]!, 'base64url').toString()).sub as string;
  });
  afterAll(() => service.stop());

  it('accepts the genuine admin token (the control case)', async () => {
    expect((await call(service, 'GET', '/api/v1/users', undefined, service.adminToken)).status).toBe(200);
  });

  it('refuses alg: none', async () => {
    const kid = keys.current().kid;
    await expectRefused(
      `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64({ ...claims(), iss: issuer(), aud: audience(), exp: 9e9 })}.`,
    );
  });

  it('refuses HS256 signed with the public key as the secret', async () => {
    const publicJwk = keys.current().publicJwk;
    for (const secret of [JSON.stringify(publicJwk), String(publicJwk.x)]) {
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: keys.current().kid })
        .setIssuer(issuer())
        .setAudience(audience())
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
      await expectRefused(token);
    }
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = service.adminToken!.split('.');
    const payload = JSON.parse(Buffer.from(service.adminToken!.split('.')[1]!, 'base64url').toString());
    await expectRefused(`${header}.${b64({ ...payload, sub: '00000000-0000-7000-8000-00000000beef' })}.${signature}`);
  });

  it('refuses an expired token', async () => {
    const token = await sign((jwt) =>
      jwt
        .setIssuer(issuer())
        .setAudience(audience())
        .setExpirationTime(Math.floor(Date.now() / 1000) - 120),
    );
    await expectRefused(token);
  });

  it('refuses a wrong audience and a wrong issuer', async () => {
    await expectRefused(
      await sign((jwt) => jwt.setIssuer(issuer()).setAudience('someone-else').setExpirationTime('5m')),
    );
    await expectRefused(
      await sign((jwt) => jwt.setIssuer('https://evil.example').setAudience(audience()).setExpirationTime('5m')),
    );
  });

  it('refuses an unknown kid and a token without kid', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    expect((await exportJWK(publicKey)).kty).toBe('OKP');
    const foreign = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'EdDSA', kid: 'not-one-of-ours' })
      .setIssuer(issuer())
      .setAudience(audience())
      .setExpirationTime('5m')
      .sign(privateKey);
    await expectRefused(foreign);
    const noKid = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer(issuer())
      .setAudience(audience())
      .setExpirationTime('5m')
      .sign(keys.current().key);
    await expectRefused(noKid);
  });

  it('refuses garbage and a wrong scheme', async () => {
    await expectRefused('not.a.jwt');
    const basic = await fetch(`${service.url}/api/v1/users`, { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(basic.status).toBe(401);
  });

  /** Signs with the service's real private key, so only the claim under test is wrong. */
  async function sign(configure: (jwt: SignJWT) => SignJWT): Promise<string> {
    const privateKey = await privateSigningKey();
    return configure(new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', kid: keys.current().kid })).sign(
      privateKey,
    );
  }

  async function privateSigningKey() {
    const signing = keys.current();
    return signing.key;
  }
});
