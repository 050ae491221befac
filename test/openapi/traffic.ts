import { expect } from 'vitest';
import { Api, unique, type CommandBody, type Reply, type UserBody } from '../support/e2e.js';
import { login, newUserBody, TEST_ADMIN, type Tokens } from '../support/test-service.js';
import { sessionListTraffic } from './sessions-traffic.js';

/**
 * The e2e flows, once each, through the recording proxy: every route, its successes and the
 * refusals a client meets (400 401 403 404 409 412 413 415 422 429), so the conformance test has
 * real answers of every kind to hold against /openapi.json.
 */

const USERS = '/api/v1/users';
const WAIT = { prefer: 'wait=10' };
const NOBODY = '0190a8d2-0000-7000-8000-000000000000';

function expectStatus<T>(reply: Reply<T>, status: number): Reply<T> {
  expect(reply.status, `${status} expected: ${reply.text}`).toBe(status);
  return reply;
}

export async function operationsTraffic(anonymous: Api): Promise<void> {
  for (const path of ['/health', '/ready', '/metrics', '/openapi.json', '/docs', '/.well-known/jwks.json']) {
    expectStatus(await anonymous.get(path), 200);
  }
}

export async function usersTraffic(admin: Api, anonymous: Api): Promise<void> {
  expectStatus(await admin.request('POST', USERS, { body: newUserBody(unique()) }), 202);
  const user = expectStatus(
    await admin.request<UserBody>('POST', USERS, { body: newUserBody(unique()), headers: WAIT }),
    201,
  ).body;
  const other = await admin.createUser();
  expectStatus(
    await admin.request('POST', USERS, { body: newUserBody(unique(), { email: user.email }), headers: WAIT }),
    409,
  );
  expectStatus(await admin.request('POST', USERS, { body: newUserBody(unique(), { password: 'short' }) }), 400);
  expectStatus(await admin.request('POST', USERS, { body: newUserBody(unique(), { firstName: 5 }) }), 400);
  expectStatus(await anonymous.request('POST', USERS, { body: newUserBody(unique()) }), 401);
  expectStatus(await admin.request('POST', USERS, { raw: 'a=1', headers: { 'content-type': 'text/plain' } }), 415);
  expectStatus(
    await admin.request('POST', USERS, { body: newUserBody(unique(), { firstName: 'a'.repeat(65 * 1024) }) }),
    413,
  );

  const key = { 'idempotency-key': `k-${unique()}` };
  const first = newUserBody(unique());
  expectStatus(await admin.request('POST', USERS, { body: first, headers: key }), 202);
  expectStatus(await admin.request('POST', USERS, { body: first, headers: key }), 202);
  expectStatus(await admin.request('POST', USERS, { body: newUserBody(unique()), headers: key }), 422);

  const self = new Api(admin.url, (await login(admin.url, user.email, 'compiler-pioneer-1952')).accessToken);
  expectStatus(await admin.get(`${USERS}/${user.id}`), 200);
  expectStatus(await self.get(`${USERS}/${user.id}`), 200);
  expectStatus(await self.get(`${USERS}/${other.id}`), 403);
  expectStatus(await admin.get(`${USERS}/${NOBODY}`), 404);
  expectStatus(await admin.get(`${USERS}/abc`), 400);
  expectStatus(await anonymous.get(`${USERS}/${user.id}`), 401);

  const page = expectStatus(await admin.get<{ nextCursor: string | null }>(`${USERS}?limit=2`), 200).body;
  expectStatus(
    await admin.get(`${USERS}?limit=2&cursor=${encodeURIComponent(page.nextCursor ?? '')}&status=active`),
    200,
  );
  expectStatus(await admin.get(`${USERS}?q=grace&limit=100`), 200);
  for (const limit of ['0', '101', 'abc', '2.5']) expectStatus(await admin.get(`${USERS}?limit=${limit}`), 400);
  expectStatus(await self.get(USERS), 403);

  await writesOnOneUser(admin, self, user, other);
}

async function writesOnOneUser(admin: Api, self: Api, user: UserBody, other: UserBody): Promise<void> {
  const path = `${USERS}/${user.id}`;
  expectStatus(
    await self.request('PATCH', path, {
      body: { lastName: 'Murray' },
      headers: { ...WAIT, 'if-match': `"${user.version}"` },
    }),
    200,
  );
  expectStatus(
    await self.request('PATCH', path, { body: { lastName: 'Again' }, headers: { ...WAIT, 'if-match': '"1"' } }),
    412,
  );
  expectStatus(await self.request('PATCH', path, { body: { username: other.username }, headers: WAIT }), 409);
  expectStatus(await self.request('PATCH', path, { body: { firstName: 'Ada' } }), 202);
  expectStatus(await self.request('PATCH', path, { body: { firstName: 'Ada' }, headers: { 'if-match': '3' } }), 400);
  expectStatus(await self.request('PATCH', path, { body: {} }), 400);
  expectStatus(
    await admin.request('PATCH', `${USERS}/${NOBODY}`, { body: { firstName: 'Nobody' }, headers: WAIT }),
    404,
  );

  const accepted = expectStatus(await admin.request<CommandBody>('DELETE', `${USERS}/${other.id}`), 202).body;
  expectStatus(await admin.get(`/api/v1/commands/${accepted.commandId}`), 200);
  expectStatus(await self.get(`/api/v1/commands/${accepted.commandId}`), 404);
  expectStatus(await new Api(admin.url).get(`/api/v1/commands/${accepted.commandId}`), 404);
  expectStatus(await admin.get('/api/v1/commands/abc'), 400);
  expectStatus(await admin.get(`/api/v1/commands/${NOBODY}`, { authorization: 'Bearer not-a-token' }), 401);
  await admin.settle(accepted.commandId);
  expectStatus(await self.request('POST', `${path}/deactivate`), 403);
  expectStatus(await admin.request('POST', `${path}/deactivate`, { headers: WAIT }), 200);
  expectStatus(await admin.request('POST', `${path}/activate`, { body: {}, headers: WAIT }), 200);
  expectStatus(await admin.request('POST', `${path}/activate`), 202);
  expectStatus(await admin.request('POST', `${path}/activate`, { body: { reason: 'x' } }), 400);
  expectStatus(await admin.request('DELETE', path, { headers: WAIT }), 204);
}

export async function authTraffic(admin: Api, anonymous: Api): Promise<void> {
  const body = newUserBody(unique());
  expectStatus(await anonymous.request('POST', '/api/v1/auth/register', { body: newUserBody(unique()) }), 202);
  const user = expectStatus(
    await anonymous.request<UserBody>('POST', '/api/v1/auth/register', { body, headers: WAIT }),
    201,
  ).body;
  expectStatus(
    await anonymous.request('POST', '/api/v1/auth/register', {
      body: newUserBody(unique(), { email: user.email }),
      headers: WAIT,
    }),
    409,
  );
  expectStatus(await anonymous.request('POST', '/api/v1/auth/register', { body: { email: 'x' } }), 400);

  await loginTraffic(anonymous, body.email, body.password);
  await sessionTraffic(anonymous, await login(anonymous.url, body.email, body.password));
  await sessionListTraffic(admin, anonymous, { ...body, id: user.id });
  const tokens = await login(anonymous.url, body.email, body.password);
  const me = new Api(anonymous.url, tokens.accessToken);
  expectStatus(await me.get('/api/v1/auth/me'), 200);
  expectStatus(await anonymous.get('/api/v1/auth/me'), 401);
  expectStatus(await anonymous.get('/api/v1/auth/me', { authorization: 'Bearer not.a.token' }), 401);

  const password = { currentPassword: body.password, newPassword: 'another-long-passphrase-2024' };
  expectStatus(
    await me.request('POST', '/api/v1/auth/password', { body: { ...password, currentPassword: 'wrong-password-123' } }),
    401,
  );
  expectStatus(await me.request('POST', '/api/v1/auth/password', { body: { ...password, newPassword: 'short' } }), 400);
  expectStatus(await me.request('POST', '/api/v1/auth/password', { body: password }), 204);

  expectStatus(await admin.get(`${USERS}/${user.id}/audit?limit=5`), 200);
  expectStatus(await admin.get(`${USERS}/${user.id}/audit?limit=0`), 400);
  expectStatus(await me.get(`${USERS}/${user.id}/audit`), 403);

  // Logout as curl sends it: no body, no Content-Type.
  const curl = await fetch(`${anonymous.url}/api/v1/auth/logout`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.accessToken}` },
  });
  expect(curl.status).toBe(204);
  expectStatus(await me.request('POST', '/api/v1/auth/logout'), 401);
}

async function loginTraffic(anonymous: Api, email: string, password: string): Promise<void> {
  const url = '/api/v1/auth/login';
  expectStatus(await anonymous.request('POST', url, { body: { email, password: 'wrong-password-123' } }), 401);
  expectStatus(await anonymous.request('POST', url, { body: { email, password } }), 200);
  expectStatus(await anonymous.request('POST', url, { body: { email } }), 400);
  expectStatus(await anonymous.request('POST', url, { raw: 'x', headers: { 'content-type': 'text/plain' } }), 415);
  expectStatus(await anonymous.request('POST', url, { body: { email, password: 'p'.repeat(70 * 1024) } }), 413);
  // The lockout (LOCKOUT_THRESHOLD=2 in this service) answers 429 with Retry-After.
  const locked = `locked-${unique()}@example.com`;
  let last: Reply | undefined;
  for (let attempt = 0; attempt < 4 && last?.status !== 429; attempt += 1) {
    last = await anonymous.request('POST', url, { body: { email: locked, password: 'wrong-password-123' } });
  }
  expectStatus(last!, 429);
}

/** Refresh rotation and reuse detection (which revokes that session), and logout with a body. */
async function sessionTraffic(anonymous: Api, tokens: Tokens): Promise<void> {
  const url = '/api/v1/auth/refresh';
  const second = expectStatus(
    await anonymous.request<Tokens>('POST', url, { body: { refreshToken: tokens.refreshToken } }),
    200,
  ).body;
  expectStatus(await anonymous.request('POST', url, { body: { refreshToken: second.refreshToken } }), 200);
  expectStatus(await anonymous.request('POST', url, { body: { refreshToken: tokens.refreshToken } }), 401);
  expectStatus(await anonymous.request('POST', url, { body: { refreshToken: 'unknown' } }), 401);
  expectStatus(await anonymous.request('POST', url, { body: {} }), 400);
  const another = await login(anonymous.url, TEST_ADMIN.email, TEST_ADMIN.password);
  const withBody = new Api(anonymous.url, another.accessToken);
  expectStatus(
    await withBody.request('POST', '/api/v1/auth/logout', { body: { refreshToken: another.refreshToken } }),
    204,
  );
}

/** Registrations until the per-IP limit (RATE_LIMIT_REGISTER_PER_IP in this service) answers 429. */
export async function registrationLimitTraffic(anonymous: Api): Promise<void> {
  let last: Reply | undefined;
  for (let attempt = 0; attempt < 10 && last?.status !== 429; attempt += 1) {
    last = await anonymous.request('POST', '/api/v1/auth/register', { body: newUserBody(unique()) });
  }
  expectStatus(last!, 429);
}

/** With the database cut off: the answers a client gets meanwhile (503 with Retry-After). */
export async function outageTraffic(admin: Api, anonymous: Api, userId: string): Promise<void> {
  expectStatus(await anonymous.get('/health'), 200);
  expectStatus(await anonymous.get('/ready'), 503);
  expectStatus(await admin.request('POST', USERS, { body: newUserBody(unique()) }), 503);
  for (const path of [USERS, `${USERS}/${userId}`, `${USERS}/${userId}/audit`, `/api/v1/commands/${NOBODY}`]) {
    expectStatus(await admin.get(path), 503);
  }
  expectStatus(await anonymous.request('POST', '/api/v1/auth/register', { body: newUserBody(unique()) }), 503);
  expectStatus(
    await anonymous.request('POST', '/api/v1/auth/login', { body: { email: 'a@example.com', password: 'x' } }),
    503,
  );
  expectStatus(await anonymous.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: 'unknown' } }), 503);
}
