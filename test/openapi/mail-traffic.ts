import { expect } from 'vitest';
import { unique, type Api, type Reply } from '../support/e2e.js';
import { Mailbox } from '../support/mailbox.js';
import { newUserBody } from '../support/test-service.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function expectStatus<T>(reply: Reply<T>, status: number): Reply<T> {
  expect(reply.status, `${status} expected: ${reply.text}`).toBe(status);
  return reply;
}

/**
 * The mail flows through the recording proxy: a sign-up's verification mail read in the
 * development mailbox (every mailbox route), confirmed by the API and by the page, and refused.
 */
export async function mailTraffic(anonymous: Api): Promise<void> {
  const mailbox = new Mailbox(anonymous.url);
  const first = newUserBody(unique());
  expectStatus(await anonymous.request('POST', '/api/v1/auth/register', { body: first }), 202);
  const mail = await mailbox.waitFor(first.email, 'email-verification');
  for (const part of ['', '/html', '/raw']) expectStatus(await anonymous.get(`/dev/mailbox/${mail.id}${part}`), 200);
  expectStatus(await anonymous.get('/dev/mailbox'), 200);
  expectStatus(await anonymous.get('/dev/mailbox/999999'), 404);
  expectStatus(await anonymous.get('/dev/mailbox/999999/html'), 404);
  expectStatus(await anonymous.get('/dev/mailbox/999999/raw'), 404);
  expectStatus(await anonymous.get(`/auth/verify-email?token=${mail.token}`), 200);
  const form = new URLSearchParams({ token: mail.token! }).toString();
  expectStatus(await anonymous.request('POST', '/auth/verify-email', { raw: form, headers: FORM }), 200);
  expectStatus(await anonymous.request('POST', '/auth/verify-email', { raw: form, headers: FORM }), 400);

  const second = newUserBody(unique());
  expectStatus(await anonymous.request('POST', '/api/v1/auth/register', { body: second }), 202);
  await mailbox.waitFor(second.email, 'email-verification');
  const verify = '/api/v1/auth/email-verification';
  expectStatus(await anonymous.request('POST', verify, { body: { email: second.email } }), 202);
  expectStatus(await anonymous.request('POST', verify, { body: { address: second.email } }), 400);
  const again = await mailbox.waitFor(second.email, 'email-verification', 2);
  expectStatus(await anonymous.request('POST', `${verify}/confirm`, { body: { token: again.token } }), 200);
  expectStatus(await anonymous.request('POST', `${verify}/confirm`, { body: { token: again.token } }), 400);
}

/** Forgot and reset, by the API and by the page. */
export async function resetTraffic(anonymous: Api): Promise<void> {
  const mailbox = new Mailbox(anonymous.url);
  const user = newUserBody(unique());
  expectStatus(await anonymous.request('POST', '/api/v1/auth/register', { body: user }), 202);
  await mailbox.waitFor(user.email, 'email-verification');
  const forgot = '/api/v1/auth/password/forgot';
  expectStatus(await anonymous.request('POST', forgot, { body: { email: user.email } }), 202);
  expectStatus(await anonymous.request('POST', forgot, { body: {} }), 400);
  const first = await mailbox.waitFor(user.email, 'password-reset');
  expectStatus(await anonymous.get(`/auth/reset-password?token=${first.token}`), 200);
  const form = (newPassword: string) => ({
    raw: new URLSearchParams({ token: first.token!, newPassword }).toString(),
    headers: FORM,
  });
  expectStatus(await anonymous.request('POST', '/auth/reset-password', form('short')), 400);
  expectStatus(await anonymous.request('POST', '/auth/reset-password', form('page-reset-passphrase-81')), 200);
  expectStatus(await anonymous.request('POST', forgot, { body: { email: user.email } }), 202);
  const second = await mailbox.waitFor(user.email, 'password-reset', 2);
  const reset = '/api/v1/auth/password/reset';
  expectStatus(await anonymous.request('POST', reset, { body: { token: second.token, newPassword: 'short' } }), 400);
  const body = { token: second.token, newPassword: 'api-reset-passphrase-82' };
  expectStatus(await anonymous.request('POST', reset, { body }), 204);
  expectStatus(await anonymous.request('POST', reset, { body }), 400);
}
