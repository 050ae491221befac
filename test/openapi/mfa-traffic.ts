import { expect } from 'vitest';
import { totpCode, type Enrolment, type MfaChallengeBody } from '../auth/mfa-support.js';
import { Api, type Reply } from '../support/e2e.js';
import { login } from '../support/test-service.js';

const NOBODY = '0190a8d2-0000-7000-8000-000000000000';
const PASSWORD = 'compiler-pioneer-1952';

function expectStatus<T>(reply: Reply<T>, status: number): Reply<T> {
  expect(reply.status, `${status} expected: ${reply.text}`).toBe(status);
  return reply;
}

/** Second factors: enrolment, the login step they add, recovery codes, and their removal. */
export async function mfaTraffic(admin: Api, anonymous: Api): Promise<void> {
  const user = await admin.createUser();
  const self = new Api(anonymous.url, (await login(anonymous.url, user.email, PASSWORD)).accessToken);
  expectStatus(await anonymous.request('POST', '/api/v1/auth/mfa/totp'), 401);
  expectStatus(await self.request('POST', '/api/v1/auth/mfa/recovery-codes'), 409);
  const { secret } = expectStatus(await self.request<Enrolment>('POST', '/api/v1/auth/mfa/totp'), 200).body;
  const confirm = (code: unknown) => self.request('POST', '/api/v1/auth/mfa/totp/confirm', { body: { code } });
  expectStatus(await confirm(totpCode(secret, 5)), 400);
  expectStatus(await confirm(7), 400);
  const t0 = Date.now();
  expectStatus(await confirm(totpCode(secret, 0, t0)), 200);
  expectStatus(await confirm(totpCode(secret, 1, t0)), 409);
  expectStatus(await self.request('POST', '/api/v1/auth/mfa/totp'), 409);
  const { recoveryCodes } = expectStatus(
    await self.request<{ recoveryCodes: string[] }>('POST', '/api/v1/auth/mfa/recovery-codes'),
    200,
  ).body;

  const challenge = expectStatus(
    await anonymous.request<MfaChallengeBody>('POST', '/api/v1/auth/login', {
      body: { email: user.email, password: PASSWORD },
    }),
    200,
  ).body;
  const mfa = (body: unknown) => anonymous.request('POST', '/api/v1/auth/login/mfa', { body });
  expectStatus(await mfa({ mfaToken: challenge.mfaToken, code: '000000' }), 401);
  expectStatus(await mfa({ mfaToken: challenge.mfaToken, code: '000000', recoveryCode: 'x' }), 400);
  const signedIn = expectStatus(await mfa({ mfaToken: challenge.mfaToken, recoveryCode: recoveryCodes[0] }), 200)
    .body as { accessToken: string };

  const again = new Api(anonymous.url, signedIn.accessToken);
  expectStatus(await again.request('DELETE', '/api/v1/auth/mfa/totp'), 204);
  expectStatus(await anonymous.request('DELETE', '/api/v1/auth/mfa/totp'), 401);
  const mfaOf = (id: string) => `/api/v1/users/${id}/mfa`;
  expectStatus(await again.request('DELETE', mfaOf(user.id)), 403);
  expectStatus(await admin.request('DELETE', mfaOf(user.id)), 204);
  expectStatus(await admin.request('DELETE', mfaOf(NOBODY)), 204);
  expectStatus(await admin.request('DELETE', mfaOf('not-a-uuid')), 400);
}
