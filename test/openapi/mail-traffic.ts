import { expect } from 'vitest';
import { unique, type Api, type Reply } from '../support/e2e.js';
import { Mailbox } from '../support/mailbox.js';
import { login, newUserBody } from '../support/test-service.js';

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

/** A change of address, by the API and by the page: refused, confirmed, and lost to another account. */
export async function emailChangeTraffic(admin: Api, anonymous: Api): Promise<void> {
  const mailbox = new Mailbox(anonymous.url);
  const user = newUserBody(unique());
  await admin.createUser(user);
  const { accessToken } = await login(anonymous.url, user.email, user.password);
  const change = (body: unknown, token = accessToken) =>
    anonymous.request('POST', '/api/v1/auth/email/change', { body, headers: { authorization: `Bearer ${token}` } });
  const to = (name: string) => `${name}-${unique()}@example.com`;
  const [api, page, lost] = [to('api'), to('page'), to('lost')];
  expectStatus(await change({ newEmail: api, currentPassword: 'not-the-password-1' }), 401);
  expectStatus(await change({ newEmail: 'nowhere', currentPassword: user.password }), 400);
  expectStatus(await change({ newEmail: api, currentPassword: user.password }), 202);
  const confirm = '/api/v1/auth/email/change/confirm';
  const first = await mailbox.waitFor(api, 'email-change-confirmation');
  expectStatus(await anonymous.request('POST', confirm, { body: { token: first.token } }), 200);
  expectStatus(await anonymous.request('POST', confirm, { body: { token: first.token } }), 400);

  const again = (await login(anonymous.url, api, user.password)).accessToken;
  expectStatus(await change({ newEmail: page, currentPassword: user.password }, again), 202);
  const second = await mailbox.waitFor(page, 'email-change-confirmation');
  expectStatus(await anonymous.get(`/auth/confirm-email-change?token=${second.token}`), 200);
  const form = (token: string) => ({ raw: new URLSearchParams({ token }).toString(), headers: FORM });
  expectStatus(await anonymous.request('POST', '/auth/confirm-email-change', form(second.token!)), 200);
  expectStatus(await anonymous.request('POST', '/auth/confirm-email-change', form(second.token!)), 400);

  const third = (await login(anonymous.url, page, user.password)).accessToken;
  expectStatus(await change({ newEmail: lost, currentPassword: user.password }, third), 202);
  const byApi = await mailbox.waitFor(lost, 'email-change-confirmation');
  await admin.createUser({ email: lost });
  expectStatus(await anonymous.request('POST', confirm, { body: { token: byApi.token } }), 409);
  const fourth = (await login(anonymous.url, page, user.password)).accessToken;
  const lostByPage = to('lost-page');
  expectStatus(await change({ newEmail: lostByPage, currentPassword: user.password }, fourth), 202);
  const byPage = await mailbox.waitFor(lostByPage, 'email-change-confirmation');
  await admin.createUser({ email: lostByPage });
  expectStatus(await anonymous.request('POST', '/auth/confirm-email-change', form(byPage.token!)), 409);
}
