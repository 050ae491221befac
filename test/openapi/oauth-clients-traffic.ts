import { expect } from 'vitest';
import { Api, type Reply } from '../support/e2e.js';
import { login } from '../support/test-service.js';

const CLIENTS = '/api/v1/oauth/clients';
const valid = { name: 'Grafana', redirectUris: ['https://grafana.example.com/cb'] };

function expectStatus<T>(reply: Reply<T>, status: number): Reply<T> {
  expect(reply.status, `${status} expected: ${reply.text}`).toBe(status);
  return reply;
}

/** The OAuth client registry: each answer of its four operations, for admins, users and anyone. */
export async function oauthClientsTraffic(admin: Api, anonymous: Api, user: { email: string }): Promise<void> {
  const member = new Api(admin.url, (await login(admin.url, user.email, 'compiler-pioneer-1952')).accessToken);
  const confidential = expectStatus(await admin.request<{ clientId: string }>('POST', CLIENTS, { body: valid }), 201);
  const body = { ...valid, name: 'SPA', public: true, redirectUris: ['http://localhost:5173/cb'] };
  expectStatus(await admin.request('POST', CLIENTS, { body }), 201);
  expectStatus(await admin.request('POST', CLIENTS, { body: { ...valid, redirectUris: ['http://x.example/cb'] } }), 400);
  expectStatus(await member.request('POST', CLIENTS, { body: valid }), 403);
  expectStatus(await anonymous.request('POST', CLIENTS, { body: valid }), 401);

  expectStatus(await admin.get(CLIENTS), 200);
  expectStatus(await member.get(CLIENTS), 403);
  expectStatus(await anonymous.get(CLIENTS), 401);

  const path = `${CLIENTS}/${confidential.body.clientId}`;
  expectStatus(await admin.get(path), 200);
  expectStatus(await admin.get(`${CLIENTS}/unknown`), 404);
  expectStatus(await admin.get(`${CLIENTS}/${'x'.repeat(80)}`), 400);
  expectStatus(await member.get(path), 403);
  expectStatus(await anonymous.get(path), 401);

  expectStatus(await member.request('DELETE', path), 403);
  expectStatus(await anonymous.request('DELETE', path), 401);
  expectStatus(await admin.request('DELETE', path), 204);
  expectStatus(await admin.request('DELETE', path), 404);
}
