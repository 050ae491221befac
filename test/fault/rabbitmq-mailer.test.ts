import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSmtpServer } from '../support/smtp-server.js';
import { newUserBody } from '../support/test-service.js';
import { request, sleep, until } from './http-client.js';
import { ADMIN, Cluster, queueInfo } from './rabbitmq/cluster.js';
import { machineServicesUp, useIsolatedServices } from './rabbitmq/services.js';

const up = await machineServicesUp();
const FROM = 'Portico <id@portico.test>';

/**
 * The production shape of mail: the API, a worker, the relay, the projector and `portico mailer`
 * as separate `node bin/portico.js <role>` processes on PostgreSQL and RabbitMQ, the mailer
 * talking SMTP to a real server in the test (smtp-server; messages parsed with mailparser). The
 * API seals the tokens, the mailer opens them: one ENCRYPTION_KEYS for all.
 *
 * test/e2e/mail-delivery.test.ts covers, in one process, a server that refuses (451: retried,
 * dead-lettered, replayed) and an event delivered twice; here the server is gone altogether while
 * a burst of resets waits, and the retries bridge the outage.
 */
describe.skipIf(!up)('RabbitMQ: the mailer as its own process, over SMTP', () => {
  const services = useIsolatedServices();
  const smtp = new TestSmtpServer();
  let cluster: Cluster;

  beforeAll(async () => {
    await smtp.start();
    const { databaseUrl, amqpUrl } = services();
    // Retries close together, so an outage of a few seconds is bridged well before the DLQ.
    cluster = await Cluster.start({ databaseUrl, amqpUrl, workers: 1, env: { RETRY_DELAYS: '1s,2s,3s,5s,8s' } });
    await cluster.startRole('mailer', { SMTP_URL: smtp.url, PUBLIC_URL: cluster.apiUrl, MAIL_FROM: FROM });
  }, 120_000);
  afterAll(() => smtp.stop());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(`${cluster.apiUrl}${path}`, 'POST', body, headers);
  const mailsTo = (to: string, template: string) =>
    smtp.received.filter((m) => m.to.includes(to) && m.parsed.headers.get('x-portico-template') === template);
  const mailTo = async (to: string, template: string) => {
    const found = await until(Date.now() + 20_000, 50, async () => mailsTo(to, template)[0] ?? null);
    if (!found) throw new Error(`no ${template} mail to ${to}`);
    return { ...found, token: new URL(/https?:\/\/\S+\?token=\S+/.exec(found.parsed.text ?? '')![0]).searchParams };
  };

  it('register → the verification mail arrives and confirms; forgot → the reset mail arrives and resets', async () => {
    const user = newUserBody('mailer-roles');
    expect((await post('/api/v1/auth/register', user, { prefer: 'wait=10' })).status).toBe(201);
    const verification = await mailTo(user.email, 'email-verification');
    expect(verification.parsed.subject).toBe('Confirm your email address');
    expect(verification.parsed.from?.text).toContain('id@portico.test');
    expect(verification.parsed.messageId).toMatch(/^<[0-9a-f-]{36}@portico\.test>$/);
    expect(verification.parsed.text).toContain(`${cluster.apiUrl}/auth/verify-email?token=`);
    const token = verification.token.get('token');
    const confirmed = await post('/api/v1/auth/email-verification/confirm', { token });
    expect([confirmed.status, (confirmed.body as { emailVerified: boolean }).emailVerified]).toEqual([200, true]);

    expect((await post('/api/v1/auth/password/forgot', { email: user.email })).status).toBe(202);
    const reset = await mailTo(user.email, 'password-reset');
    expect(reset.parsed.subject).toBe('Reset your password');
    const newPassword = 'mailer-process-reset-9182';
    const done = await post('/api/v1/auth/password/reset', { token: reset.token.get('token'), newPassword });
    expect(done.status).toBe(204);
    expect((await post('/api/v1/auth/login', { email: user.email, password: newPassword })).status).toBe(200);
  }, 60_000);

  it('change of address → the confirmation reaches the new address, the notice the old; confirming moves the account', async () => {
    const user = newUserBody('mailer-change');
    expect((await post('/api/v1/auth/register', user, { prefer: 'wait=10' })).status).toBe(201);
    const signedIn = (await post('/api/v1/auth/login', { email: user.email, password: user.password })).body as {
      accessToken: string;
    };
    const newEmail = `moved-${user.email}`;
    const asked = await post(
      '/api/v1/auth/email/change',
      { newEmail, currentPassword: user.password },
      { authorization: `Bearer ${signedIn.accessToken}` },
    );
    expect(asked.status).toBe(202);
    const confirmation = await mailTo(newEmail, 'email-change-confirmation');
    const notice = await until(
      Date.now() + 20_000,
      50,
      async () => mailsTo(user.email, 'email-change-notice')[0] ?? null,
    );
    expect(notice, 'a notice to the old address').toBeTruthy();
    const confirmed = await post('/api/v1/auth/email/change/confirm', { token: confirmation.token.get('token') });
    expect([confirmed.status, (confirmed.body as { email: string }).email]).toEqual([200, newEmail]);
    expect((await post('/api/v1/auth/login', { email: newEmail, password: user.password })).status).toBe(200);
  }, 60_000);

  it('the SMTP server down during a burst of 10 resets: once it is back, each mail arrives exactly once', async () => {
    const admin = (await post('/api/v1/auth/login', ADMIN)).body as { accessToken: string };
    const users = Array.from({ length: 10 }, (_, i) => newUserBody(`burst${i}`));
    for (const user of users) {
      const created = await post('/api/v1/users', user, {
        authorization: `Bearer ${admin.accessToken}`,
        prefer: 'wait=10',
      });
      expect(created.status).toBe(201);
    }
    const mailer = cluster.role('mailer');
    const failuresBefore = mailer.output.filter((l) => l.includes('transient failure')).length;
    await smtp.stop();
    const answers = await Promise.all(users.map((u) => post('/api/v1/auth/password/forgot', { email: u.email })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    // The mailer tries, finds no server, and schedules retries; nothing is lost meanwhile.
    const failing = await until(Date.now() + 15_000, 100, async () =>
      mailer.output.filter((l) => l.includes('transient failure')).length - failuresBefore >= 10 ? true : null,
    );
    expect(failing, 'the mailer met the outage').toBe(true);
    await sleep(2_000);
    await smtp.start();

    await until(Date.now() + 30_000, 100, async () =>
      users.every((u) => mailsTo(u.email, 'password-reset').length > 0) ? true : null,
    );
    await sleep(3_000);
    const counts = users.map((u) => mailsTo(u.email, 'password-reset').length);
    expect(counts).toEqual(Array(10).fill(1));
    const ids = users.map((u) => mailsTo(u.email, 'password-reset')[0]!.parsed.messageId);
    expect(new Set(ids).size).toBe(10);
    expect((await queueInfo(services().amqpUrl, 'mail.deliveries.dlq'))?.messageCount ?? 0).toBe(0);
    expect((await queueInfo(services().amqpUrl, 'mail.deliveries'))?.messageCount).toBe(0);
  }, 60_000);
});
