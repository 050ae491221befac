import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, newUserBody, startTestService, type TestService } from '../support/test-service.js';
import { call, codeOf } from './support.js';

describe('auth: roles on every users route', () => {
  let service: TestService;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };

  const signUp = async (name: string) => {
    const response = await call(service, 'POST', '/api/v1/auth/register', newUserBody(name), null, {
      prefer: 'wait=10',
    });
    const { id } = (await response.json()) as { id: string };
    const { accessToken } = await login(service.url, `person${name}@example.com`, 'compiler-pioneer-1952');
    return { id, token: accessToken };
  };

  beforeAll(async () => {
    service = await startTestService('pglite');
    alice = await signUp('alice');
    bob = await signUp('bob');
  });
  afterAll(() => service.stop());

  it('asks for a token with 401 + WWW-Authenticate: Bearer', async () => {
    const response = await call(service, 'GET', `/api/v1/users/${alice.id}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('lets a user read and update themself', async () => {
    expect((await call(service, 'GET', `/api/v1/users/${alice.id}`, undefined, alice.token)).status).toBe(200);
    const patched = await call(service, 'PATCH', `/api/v1/users/${alice.id}`, { firstName: 'Alicia' }, alice.token, {
      prefer: 'wait=10',
    });
    expect(patched.status).toBe(200);
  });

  it.each([
    ['read another user', 'GET', () => `/api/v1/users/${bob.id}`, undefined],
    ['update another user', 'PATCH', () => `/api/v1/users/${bob.id}`, { firstName: 'Mallory' }],
    ['delete another user', 'DELETE', () => `/api/v1/users/${bob.id}`, undefined],
    ['list users', 'GET', () => '/api/v1/users', undefined],
    ['create a user', 'POST', () => '/api/v1/users', newUserBody('sneaky', { roles: ['admin'] })],
    ['deactivate a user', 'POST', () => `/api/v1/users/${bob.id}/deactivate`, undefined],
  ])('refuses a plain user who tries to %s with 403', async (_label, method, path, body) => {
    const response = await call(service, method, path(), body, alice.token);
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe('forbidden');
  });

  it('lets an admin do all of it', async () => {
    expect((await call(service, 'GET', `/api/v1/users/${bob.id}`, undefined, service.adminToken)).status).toBe(200);
    expect((await call(service, 'GET', '/api/v1/users', undefined, service.adminToken)).status).toBe(200);
  });

  it('publishes the verification keys: RS256 by default, each with kid, alg and use, no private part', async () => {
    const response = await fetch(`${service.url}/.well-known/jwks.json`);
    const { keys } = (await response.json()) as { keys: Record<string, string>[] };
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    // 2048 bits: 256 bytes of modulus, 342 base64url characters.
    expect(Buffer.from(keys[0]!.n!, 'base64url')).toHaveLength(256);
  });
});
