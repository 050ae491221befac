import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.js';

const APP = 'http://app.example.test';

/** One raw HTTP exchange, for requests no fetch client would send (huge headers, a broken line). */
function raw(url: string, request: string): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let data = '';
    socket.on('data', (chunk) => (data += String(chunk)));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body });
    });
  });
}

describe('browsers and gateways (API.md)', () => {
  let service: TestService;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${service.adminToken}`, ...headers } });

  beforeAll(async () => {
    service = await startTestService('pglite', { CORS_ORIGINS: APP });
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('sends nosniff, no-referrer and a CSP that forbids framing on every response', async () => {
    for (const path of ['/api/v1/auth/me', '/health', '/api/v1/nowhere', '/openapi.json']) {
      const response = await get(path);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
  });

  it('never lets a shared cache keep tokens or personal data; the public keys may be cached', async () => {
    const me = (await (await get('/api/v1/auth/me')).json()) as { id: string };
    for (const path of ['/api/v1/auth/me', `/api/v1/users/${me.id}`, '/api/v1/users']) {
      expect((await get(path)).headers.get('cache-control'), path).toBe('no-store');
    }
    expect((await get('/.well-known/jwks.json')).headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('answers CORS preflights for a listed origin only, exposing the headers a client reads', async () => {
    const preflight = (origin: string) =>
      fetch(`${service.url}/api/v1/users`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type, idempotency-key, prefer',
        },
      });
    const allowed = await preflight(APP);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    const other = await preflight('http://evil.example.test');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await get('/api/v1/auth/me', { origin: APP });
    expect(simple.headers.get('access-control-allow-origin')).toBe(APP);
    expect(simple.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('x-request-id');
  });

  it('answers an oversized header with 431 problem+json and a request id, not the framework default', async () => {
    const answer = await raw(
      service.url,
      `GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(100_000)}\r\n\r\n`,
    );
    expect(answer.status).toBe(431);
    expect(answer.headers).toContain('content-type: application/problem+json');
    expect(answer.headers).toMatch(/x-request-id: [0-9a-f-]{36}/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 431, code: 'headers_too_large' });
  });

  it('answers a malformed request line with 400 problem+json', async () => {
    const answer = await raw(service.url, 'GET /health HTTP/1.1 extra\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.headers).toContain('content-type: application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('names a scheme in WWW-Authenticate on every 401, the sign-in refusals too', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${service.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const login = await post('/api/v1/auth/login', { email: 'nobody@example.com', password: 'not-the-password-1' });
    const refresh = await post('/api/v1/auth/refresh', { refreshToken: 'not-a-refresh-token' });
    for (const response of [login, refresh, await fetch(`${service.url}/api/v1/auth/me`)]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });
});
