import { expect } from 'vitest';
import { Api, type Reply } from '../support/e2e.js';
import { login } from '../support/test-service.js';

const NOBODY = '0190a8d2-0000-7000-8000-000000000000';

function expectStatus<T>(reply: Reply<T>, status: number): Reply<T> {
  expect(reply.status, `${status} expected: ${reply.text}`).toBe(status);
  return reply;
}

/** The session list and its endings: the user's own, and an admin's for the user. */
export async function sessionListTraffic(
  admin: Api,
  anonymous: Api,
  account: { email: string; password: string; id: string },
) {
  const signIn = async () =>
    new Api(anonymous.url, (await login(anonymous.url, account.email, account.password)).accessToken);
  const phone = await signIn();
  const laptop = await signIn();
  const listed = expectStatus(
    await phone.get<{ items: { id: string; current: boolean }[] }>('/api/v1/auth/sessions'),
    200,
  );
  const other = listed.body.items.find((s) => !s.current)!;
  expectStatus(await anonymous.get('/api/v1/auth/sessions'), 401);
  expectStatus(await phone.request('DELETE', `/api/v1/auth/sessions/${other.id}`), 204);
  expectStatus(await phone.request('DELETE', `/api/v1/auth/sessions/${other.id}`), 404);
  expectStatus(await phone.request('DELETE', '/api/v1/auth/sessions/not-a-uuid'), 400);
  expectStatus(await laptop.get('/api/v1/auth/sessions'), 401);
  expectStatus(await phone.request('DELETE', '/api/v1/auth/sessions'), 400);
  expectStatus(await phone.request('DELETE', '/api/v1/auth/sessions?others=true'), 204);

  const users = `/api/v1/users/${account.id}/sessions`;
  expectStatus(await admin.get(users), 200);
  expectStatus(await phone.get(users), 403);
  expectStatus(await admin.get(`/api/v1/users/${NOBODY}/sessions`), 200);
  expectStatus(await phone.request('DELETE', users), 403);
  expectStatus(await admin.request('DELETE', users), 204);
  expectStatus(await phone.get('/api/v1/auth/sessions'), 401);
}
