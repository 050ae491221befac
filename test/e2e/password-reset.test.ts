import { expect, it } from 'vitest';
import { quietPeriod } from '../support/async.js';
import { describeEngines } from '../support/e2e.js';
import { Mailbox } from '../support/mailbox.js';
import { login, newUserBody } from '../support/test-service.js';

const NEW_PASSWORD = 'quartz-meridian-lantern-77';

describeEngines('forgotten password: reset through the mailed link', (api, _engine, service) => {
  const mailbox = () => new Mailbox(service().url);
  const post = <T = unknown>(path: string, body: unknown, headers: Record<string, string> = {}) =>
    api().request<T>('POST', path, { body, headers: { authorization: '', ...headers } });
  const signUp = async (name: string) => {
    const body = newUserBody(name);
    expect((await post('/api/v1/auth/register', body, { prefer: 'wait=10' })).status).toBe(201);
    return body;
  };

  it('forgot → reset: every old session is refused, the old password fails, the new one works', async () => {
    const user = await signUp('reset1');
    const before = await login(service().url, user.email, user.password);
    const forgot = await post('/api/v1/auth/password/forgot', { email: user.email });
    expect([forgot.status, forgot.body]).toEqual([202, {}]);
    const mail = await mailbox().waitFor(user.email, 'password-reset');
    expect(mail.subject).toBe('Reset your password');
    expect(new URL(mail.link!).pathname).toBe('/auth/reset-password');

    const reset = await post('/api/v1/auth/password/reset', { token: mail.token, newPassword: NEW_PASSWORD });
    expect(reset.status, reset.text).toBe(204);
    const me = await api().request('GET', '/api/v1/auth/me', {
      headers: { authorization: `Bearer ${before.accessToken}` },
    });
    expect(me.status).toBe(401);
    expect((await post('/api/v1/auth/refresh', { refreshToken: before.refreshToken })).status).toBe(401);
    expect((await post('/api/v1/auth/login', { email: user.email, password: user.password })).status).toBe(401);
    await login(service().url, user.email, NEW_PASSWORD);
    const again = await post('/api/v1/auth/password/reset', {
      token: mail.token,
      newPassword: 'another-fine-passphrase-9',
    });
    expect([again.status, (again.body as { code: string }).code]).toEqual([400, 'token_invalid']);
  });

  it('a weak new password is refused and spends nothing; a reset voids the other mailed tokens', async () => {
    const user = await signUp('reset2');
    const verification = await mailbox().waitFor(user.email, 'email-verification');
    await post('/api/v1/auth/password/forgot', { email: user.email });
    const mail = await mailbox().waitFor(user.email, 'password-reset');
    const weak = await post('/api/v1/auth/password/reset', { token: mail.token, newPassword: 'password' });
    expect([weak.status, (weak.body as { code: string }).code]).toEqual([400, 'weak_password']);
    expect((await post('/api/v1/auth/password/reset', { token: mail.token, newPassword: NEW_PASSWORD })).status).toBe(
      204,
    );
    const verify = await post('/api/v1/auth/email-verification/confirm', { token: verification.token });
    expect([verify.status, (verify.body as { code: string }).code]).toEqual([400, 'token_invalid']);
  });

  it('the page: GET shows a password field and a button and spends nothing; its POST resets', async () => {
    const user = await signUp('reset3');
    await post('/api/v1/auth/password/forgot', { email: user.email });
    const mail = await mailbox().waitFor(user.email, 'password-reset');
    const link = new URL(mail.link!);
    const page = await api().request('GET', `${link.pathname}${link.search}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="newPassword"');
    expect(page.text).toContain('<form method="post" action="/auth/reset-password">');
    const form = (newPassword: string) => ({
      raw: new URLSearchParams({ token: mail.token!, newPassword }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'es-ES,es;q=0.9' },
    });
    const weak = await api().request('POST', '/auth/reset-password', form('password'));
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('lang="es"');
    const done = await api().request('POST', '/auth/reset-password', form(NEW_PASSWORD));
    expect(done.status, done.text).toBe(200);
    expect(done.text).toContain('Tu contraseña ha cambiado');
    await login(service().url, user.email, NEW_PASSWORD);
  });

  it('an unknown address gets the same 202 and no mail', async () => {
    const reply = await post('/api/v1/auth/password/forgot', { email: 'no-account-here@example.com' });
    expect([reply.status, reply.body]).toEqual([202, {}]);
    await quietPeriod(1_000);
    expect(await mailbox().mailsTo('no-account-here@example.com')).toEqual([]);
  });
});
