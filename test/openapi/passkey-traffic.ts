import { expect } from 'vitest';
import { Api, type Reply } from '../support/e2e.js';
import { login } from '../support/test-service.js';

const PASSWORD = 'compiler-pioneer-1952';
const PASSKEYS = '/api/v1/auth/passkeys';

function expectStatus<T>(reply: Reply<T>, status: number): Reply<T> {
  expect(reply.status, `${status} expected: ${reply.text}`).toBe(status);
  return reply;
}

/** A response of the shape the browser's toJSON() gives, verifying against nothing. */
function forged(challenge: string) {
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge })).toString('base64url');
  const response = { clientDataJSON, attestationObject: 'AAAA', authenticatorData: 'AAAA', signature: 'AAAA' };
  return { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response, clientExtensionResults: {} };
}

/**
 * Passkeys without an authenticator: the options, the refusals and the list. The answers of a
 * real credential (201 registered, 200 tokens, 204 removed) are the browser test's, which checks
 * them against this same document (test/browser/passkeys.test.ts).
 */
export async function passkeyTraffic(anonymous: Api, user: { email: string }): Promise<void> {
  const self = new Api(anonymous.url, (await login(anonymous.url, user.email, PASSWORD)).accessToken);
  expectStatus(await anonymous.request('POST', `${PASSKEYS}/registration/options`), 401);
  const creation = expectStatus(
    await self.request<{ challenge: string }>('POST', `${PASSKEYS}/registration/options`),
    200,
  ).body;
  const register = (api: Api, body: unknown) => api.request('POST', `${PASSKEYS}/registration`, { body });
  expectStatus(await register(self, { response: forged(creation.challenge), name: 'Laptop' }), 400);
  expectStatus(await register(self, { name: 'no response' }), 400);
  expectStatus(await register(anonymous, { response: forged(creation.challenge) }), 401);

  expectStatus(await self.get(PASSKEYS), 200);
  expectStatus(await anonymous.get(PASSKEYS), 401);
  const remove = (api: Api, id: string) => api.request('DELETE', `${PASSKEYS}/${id}`);
  expectStatus(await remove(self, '0190a8d2-0000-7000-8000-000000000000'), 404);
  expectStatus(await remove(self, 'not-a-uuid'), 400);
  expectStatus(await remove(anonymous, '0190a8d2-0000-7000-8000-000000000000'), 401);

  const options = (body?: unknown) =>
    anonymous.request<{ challenge: string }>('POST', `${PASSKEYS}/authentication/options`, { body });
  expectStatus(await options({ email: user.email }), 200);
  expectStatus(await options({ email: 7 }), 400);
  const request = expectStatus(await options(), 200).body;
  const authenticate = (body: unknown) => anonymous.request('POST', `${PASSKEYS}/authentication`, { body });
  expectStatus(await authenticate({ response: forged(request.challenge) }), 401);
  expectStatus(await authenticate({ response: { id: 'x' } }), 400);
}
