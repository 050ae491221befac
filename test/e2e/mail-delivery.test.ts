import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMessage } from '../../src/platform/messaging/outbox-relay.js';
import type { OutboxRow } from '../../src/platform/messaging/outbox-row.js';
import { EmbeddedDeadLetterStore } from '../../src/platform/messaging/dead-letters/embedded-dead-letter-store.js';
import { eventually, quietPeriod } from '../support/async.js';
import { postgresAvailable } from '../support/postgres.js';
import { TestSmtpServer } from '../support/smtp-server.js';
import { newUserBody, startTestService, type TestService } from '../support/test-service.js';

const postgresUp = await postgresAvailable();

async function until<T>(find: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing found within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function register(service: TestService, name: string) {
  const body = newUserBody(name);
  const response = await fetch(`${service.url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(202);
  return body;
}

describe.each(['pglite', 'postgres'] as const)('the mailer over SMTP, retried then dead-lettered [%s]', (engine) => {
  describe.skipIf(engine === 'postgres' && !postgresUp)('', () => {
    let smtp: TestSmtpServer;
    let service: TestService;
    let dlq: EmbeddedDeadLetterStore;

    beforeAll(async () => {
      smtp = await new TestSmtpServer().start();
      service = await startTestService(engine, {
        SMTP_URL: smtp.url,
        RETRY_DELAYS: '100ms,100ms',
        MAIL_FROM: 'Portico <id@portico.test>',
      });
      dlq = new EmbeddedDeadLetterStore(service.runtime.database);
    });
    afterAll(async () => {
      await service?.stop();
      await smtp?.stop();
    });

    it('delivers through the SMTP server: text and HTML parts, Auto-Submitted, from MAIL_FROM', async () => {
      const user = await register(service, `smtp-${engine}-1`);
      await eventually(() => smtp.received.find((m) => m.to.includes(user.email)));
      const mail = smtp.received.find((m) => m.to.includes(user.email))!.parsed;
      expect(mail.subject).toBe('Confirm your email address');
      expect(mail.from?.text).toContain('id@portico.test');
      expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
      expect(mail.text).toMatch(/\/auth\/verify-email\?token=[\w-]{43}/);
      expect(mail.html).toContain('/auth/verify-email?token=');
    });

    it('a refusing server: retried, then dead-lettered; replayed once it accepts, the mail arrives once', async () => {
      smtp.refusing = true;
      const user = await register(service, `smtp-${engine}-2`);
      const letter = await until(async () =>
        (await dlq.list('mail.deliveries', 10)).find((l) => l.type === 'auth.email_verification.requested'),
      ).finally(() => {
        smtp.refusing = false;
      });
      expect(letter.deliveries).toBe(3);
      expect(letter.error).toContain('451');
      expect(smtp.received.filter((m) => m.to.includes(user.email))).toHaveLength(0);
      expect((await dlq.replay('mail.deliveries', { ids: [letter.messageId] })).replayed).toEqual([letter.messageId]);
      await eventually(() => smtp.received.find((m) => m.to.includes(user.email)));
      await quietPeriod(1_000);
      expect(smtp.received.filter((m) => m.to.includes(user.email))).toHaveLength(1);
    });

    it('never twice for one event: the same event delivered again sends nothing', async () => {
      const user = await register(service, `smtp-${engine}-3`);
      await eventually(() => smtp.received.find((m) => m.to.includes(user.email)));
      const rows = await service.runtime.database.query<OutboxRow>(sql`select * from messaging.outbox
              where type = 'auth.email_verification.requested' and data->>'email' = ${user.email}`);
      // The relay's own wire form of that event, sent once more: a redelivery the inbox must spot.
      await service.runtime.transport.send('mail.deliveries', toMessage(rows.rows[0]!));
      await quietPeriod(1_500);
      expect(smtp.received.filter((m) => m.to.includes(user.email))).toHaveLength(1);
      expect(await service.runtime.transport.depth('mail.deliveries')).toBe(0);
    });
  });
});
