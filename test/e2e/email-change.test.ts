import { expect, it } from 'vitest';
import { quietPeriod } from '../support/async.js';
import { describeEngines } from '../support/e2e.js';
import { Mailbox } from '../support/mailbox.js';
import { login, newUserBody } from '../support/test-service.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describeEngines(
  'change of address: confirmed from the new address, a notice to the old one',
  (api, _engine, service) => {
    const mailbox = () => new Mailbox(service().url);
    const post = <T = unknown>(path: string, body: unknown, token = '') =>
      api().request<T>('POST', path, { body, headers: { authorization: token && `Bearer ${token}` } });
    const signUp = async (name: string, overrides: Record<string, unknown> = {}) => {
      const body = newUserBody(name, overrides);
      const created = await api().request('POST', '/api/v1/auth/register', {
        body,
        headers: { authorization: '', prefer: 'wait=10' },
      });
      expect(created.status).toBe(201);
      return { ...body, tokens: await login(service().url, body.email, body.password) };
    };
    const change = (user: Awaited<ReturnType<typeof signUp>>, newEmail: string, currentPassword = user.password) =>
      post('/api/v1/auth/email/change', { newEmail, currentPassword }, user.tokens.accessToken);

    it('request → the new address confirms → the account has it, every session ends, login uses it', async () => {
      const user = await signUp('change1');
      const other = await login(service().url, user.email, user.password);
      const newEmail = 'Person-Change1-New@Example.com';
      const asked = await change(user, newEmail);
      expect([asked.status, asked.body]).toEqual([202, {}]);
      const mail = await mailbox().waitFor('person-change1-new@example.com', 'email-change-confirmation');
      expect(mail.subject).toBe('Confirm your new email address');
      expect(new URL(mail.link!).pathname).toBe('/auth/confirm-email-change');
      expect(mail.parsed.text).toContain(mail.token!);
      const notice = await mailbox().waitFor(user.email, 'email-change-notice');
      expect(notice.token).toBeNull();
      expect(notice.parsed.text).toContain('person-change1-new@example.com');

      const confirmed = await post<{ email: string; emailVerified: boolean }>('/api/v1/auth/email/change/confirm', {
        token: mail.token,
      });
      expect(confirmed.status, confirmed.text).toBe(200);
      expect(confirmed.body).toMatchObject({ email: 'person-change1-new@example.com', emailVerified: true });
      for (const tokens of [user.tokens, other]) {
        const me = await api().request('GET', '/api/v1/auth/me', {
          headers: { authorization: `Bearer ${tokens.accessToken}` },
        });
        expect(me.status).toBe(401);
      }
      expect((await post('/api/v1/auth/login', { email: user.email, password: user.password })).status).toBe(401);
      await login(service().url, 'person-change1-new@example.com', user.password);
      const again = await post('/api/v1/auth/email/change/confirm', { token: mail.token });
      expect([again.status, (again.body as { code: string }).code]).toEqual([400, 'token_invalid']);
    });

    it('a wrong password is 401 and mails nothing; a bad address 400; a taken one 202 and nothing', async () => {
      const user = await signUp('change2');
      const taken = await signUp('change2-taken');
      const wrong = await change(user, 'person-change2-new@example.com', 'not-the-password-at-all');
      expect([wrong.status, (wrong.body as { code: string }).code]).toEqual([401, 'invalid_credentials']);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const bad = await change(user, 'not an address');
      expect([bad.status, (bad.body as { errors: { field: string }[] }).errors[0]!.field]).toEqual([400, 'newEmail']);
      expect((await change(user, user.email)).status).toBe(400);
      expect((await change(user, taken.email)).status).toBe(202);
      const anonymous = await post('/api/v1/auth/email/change', { newEmail: 'x@example.com', currentPassword: 'x' });
      expect(anonymous.status).toBe(401);
      await quietPeriod(1_000);
      expect(await mailbox().mailsTo('person-change2-new@example.com')).toEqual([]);
      expect(await mailbox().mailsTo(taken.email, 'email-change-confirmation')).toEqual([]);
      expect(await mailbox().mailsTo(user.email, 'email-change-notice')).toEqual([]);
    });

    it('a newer request voids the older token; an address taken meanwhile is 409 email_taken', async () => {
      const user = await signUp('change3');
      expect((await change(user, 'person-change3-a@example.com')).status).toBe(202);
      const first = await mailbox().waitFor('person-change3-a@example.com', 'email-change-confirmation');
      expect((await change(user, 'person-change3-b@example.com')).status).toBe(202);
      const second = await mailbox().waitFor('person-change3-b@example.com', 'email-change-confirmation');
      const voided = await post('/api/v1/auth/email/change/confirm', { token: first.token });
      expect([voided.status, (voided.body as { code: string }).code]).toEqual([400, 'token_invalid']);
      await signUp('change3-b-thief', { email: 'person-change3-b@example.com' });
      const lost = await post('/api/v1/auth/email/change/confirm', { token: second.token });
      expect([lost.status, (lost.body as { code: string }).code]).toEqual([409, 'email_taken']);
      await login(service().url, user.email, user.password);
    });

    it('the page: GET shows the button and spends nothing; its POST changes the address, in Spanish', async () => {
      const user = await signUp('change4', { locale: 'es' });
      expect((await change(user, 'person-change4-new@example.com')).status).toBe(202);
      const mail = await mailbox().waitFor('person-change4-new@example.com', 'email-change-confirmation');
      expect(mail.subject).toBe('Confirma tu nueva dirección de correo');
      const link = new URL(mail.link!);
      for (let i = 0; i < 2; i += 1) {
        const page = await api().request('GET', `${link.pathname}${link.search}`);
        expect(page.status).toBe(200);
        expect(page.text).toContain('<form method="post" action="/auth/confirm-email-change">');
      }
      const form = {
        raw: new URLSearchParams({ token: mail.token! }).toString(),
        headers: { ...FORM, 'accept-language': 'es' },
      };
      const done = await api().request('POST', '/auth/confirm-email-change', form);
      expect(done.status, done.text).toBe(200);
      expect(done.text).toContain('lang="es"');
      await login(service().url, 'person-change4-new@example.com', user.password);
      const reused = await api().request('POST', '/auth/confirm-email-change', form);
      expect(reused.status).toBe(400);
    });
  },
);
