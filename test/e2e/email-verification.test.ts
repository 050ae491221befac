import { expect, it } from 'vitest';
import { describeEngines, type UserBody } from '../support/e2e.js';
import { Mailbox } from '../support/mailbox.js';
import { newUserBody } from '../support/test-service.js';
import { quietPeriod } from '../support/async.js';

describeEngines('email verification through the development mailbox', (api, _engine, service) => {
  const mailbox = () => new Mailbox(service().url);
  const post = <T = unknown>(path: string, body: unknown, headers: Record<string, string> = {}) =>
    api().request<T>('POST', path, { body, headers });

  it('sign-up → a verification mail (text + HTML, code, link) → the code confirms the address', async () => {
    const body = newUserBody('verify1');
    const created = await post<UserBody & { emailVerified: boolean; locale: string }>('/api/v1/auth/register', body, {
      prefer: 'wait=10',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ emailVerified: false, locale: 'en' });
    const mail = await mailbox().waitFor(body.email, 'email-verification');
    expect(mail.subject).toBe('Confirm your email address');
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.parsed.html).toContain(mail.link!.replace(/&/g, '&amp;'));
    expect(mail.parsed.text).toContain(mail.token!);
    expect(new URL(mail.link!).pathname).toBe('/auth/verify-email');

    const confirmed = await post<{ emailVerified: boolean; id: string }>('/api/v1/auth/email-verification/confirm', {
      token: mail.token,
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ id: created.body.id, emailVerified: true });
    // Single use.
    const again = await post('/api/v1/auth/email-verification/confirm', { token: mail.token });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 'token_invalid' });
  });

  it('writes the mail in the account’s locale', async () => {
    const body = newUserBody('verify-es', { locale: 'es' });
    expect((await post('/api/v1/auth/register', body)).status).toBe(202);
    const mail = await mailbox().waitFor(body.email, 'email-verification');
    expect(mail.subject).toBe('Confirma tu dirección de correo');
    expect(mail.parsed.text).toContain('Hola, ');
    expect(mail.parsed.headers.get('content-language')).toBe('es');
  });

  it('the link page: opening it spends nothing, its button confirms', async () => {
    const body = newUserBody('verify2');
    await post('/api/v1/auth/register', body, { prefer: 'wait=10' });
    const mail = await mailbox().waitFor(body.email, 'email-verification');
    const path = `${new URL(mail.link!).pathname}${new URL(mail.link!).search}`;
    for (let i = 0; i < 3; i += 1) {
      const page = await api().request('GET', path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
      expect(page.text).toContain('<form method="post" action="/auth/verify-email">');
      expect(page.text).not.toContain('<script');
    }
    const posted = await api().request('POST', '/auth/verify-email', {
      raw: new URLSearchParams({ token: mail.token! }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(posted.status).toBe(200);
    expect(posted.text).toContain('Your email address is confirmed');
    const login = await post<{ accessToken: string }>('/api/v1/auth/login', {
      email: body.email,
      password: body.password,
    });
    const me = await api().request<{ emailVerified: boolean }>('GET', '/api/v1/auth/me', {
      headers: { authorization: `Bearer ${login.body.accessToken}` },
    });
    expect(me.body.emailVerified).toBe(true);
    const reused = await api().request('POST', '/auth/verify-email', {
      raw: new URLSearchParams({ token: mail.token! }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reused.status).toBe(400);
    expect(reused.text).toContain('This link no longer works');
  });

  it('on request: a newer link voids the older one; unknown and verified addresses get the same 202 and no mail', async () => {
    const body = newUserBody('verify3');
    await post('/api/v1/auth/register', body, { prefer: 'wait=10' });
    const first = await mailbox().waitFor(body.email, 'email-verification');
    const again = await post('/api/v1/auth/email-verification', { email: body.email });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({});
    const second = await mailbox().waitFor(body.email, 'email-verification', 2);
    expect(second.token).not.toBe(first.token);
    expect((await post('/api/v1/auth/email-verification/confirm', { token: first.token })).status).toBe(400);
    expect((await post('/api/v1/auth/email-verification/confirm', { token: second.token })).status).toBe(200);

    const unknown = await post('/api/v1/auth/email-verification', { email: 'nobody-at-all@example.com' });
    const verified = await post('/api/v1/auth/email-verification', { email: body.email });
    expect([unknown.status, verified.status]).toEqual([202, 202]);
    await quietPeriod(1_000);
    expect(await mailbox().mailsTo('nobody-at-all@example.com')).toEqual([]);
    expect(await mailbox().mailsTo(body.email, 'email-verification')).toHaveLength(2);
  });

  it('refuses malformed and unknown tokens with token_invalid', async () => {
    for (const token of ['', 'short', 'x'.repeat(43), '../../etc/passwd']) {
      const reply = await post('/api/v1/auth/email-verification/confirm', { token });
      expect(reply.status, token).toBe(400);
      expect(reply.body, token).toMatchObject({ code: 'token_invalid' });
    }
  });

  it('accounts an admin creates are verified, and get no verification mail', async () => {
    const created = await api().createUser(newUserBody('verify-admin-made'));
    expect((created as UserBody & { emailVerified: boolean }).emailVerified).toBe(true);
    await quietPeriod(1_000);
    expect(await mailbox().mailsTo(created.email)).toEqual([]);
  });
});
