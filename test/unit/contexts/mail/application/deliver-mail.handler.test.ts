import { beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryLog, MailRenderer } from '../../../../../src/contexts/mail/application/mail-ports.js';
import { DeliverMailHandler } from '../../../../../src/contexts/mail/application/deliver-mail/deliver-mail.handler.js';
import type { MailRequest, MailTemplate } from '../../../../../src/contexts/mail/domain/mail-request.js';
import { AesGcmSealer, newEncryptionKey } from '../../../../../src/platform/crypto/aes-gcm-sealer.js';
import { FixedClock } from '../../../../support/in-memory/fixed-clock.js';
import { InMemoryMailer } from '../../../../support/in-memory/in-memory-mailer.js';

class InMemoryDeliveryLog implements DeliveryLog {
  readonly sent = new Map<string, MailTemplate>();
  async wasSent(key: string) {
    return this.sent.has(key);
  }
  async recordSent(key: string, template: MailTemplate) {
    this.sent.set(key, template);
  }
}

/** Renders the model as JSON, so a test sees exactly what a template would get. */
const renderer: MailRenderer = {
  render: (template, locale, model) => ({
    subject: `${template}/${locale}`,
    text: JSON.stringify(model),
    html: '<p/>',
  }),
};

describe('DeliverMailHandler', () => {
  const sealer = new AesGcmSealer([Buffer.from(newEncryptionKey(), 'base64')]);
  let mailer: InMemoryMailer;
  let log: InMemoryDeliveryLog;
  let clock: FixedClock;
  let handler: DeliverMailHandler;
  const request = (overrides: Partial<MailRequest> = {}): MailRequest => ({
    template: 'email-verification',
    to: 'ada@example.com',
    locale: 'es',
    linkPath: '/auth/verify-email',
    sealedToken: sealer.seal('tok-123'),
    expiresAt: new Date(clock.now().getTime() + 60_000).toISOString(),
    values: { username: 'ada' },
    ...overrides,
  });

  beforeEach(() => {
    mailer = new InMemoryMailer();
    log = new InMemoryDeliveryLog();
    clock = new FixedClock();
    handler = new DeliverMailHandler({ mailer, renderer, sealer, log, clock, publicUrl: 'https://id.example.com' });
  });

  it('opens the token only to write it into the mail: the code and the link to PUBLIC_URL', async () => {
    expect(await handler.handle('event-1', request())).toBe('sent');
    const [mail] = mailer.sent;
    expect(mail).toMatchObject({
      to: 'ada@example.com',
      locale: 'es',
      template: 'email-verification',
      deliveryKey: 'event-1',
    });
    expect(mail!.subject).toBe('email-verification/es');
    expect(JSON.parse(mail!.text)).toEqual({
      username: 'ada',
      code: 'tok-123',
      link: 'https://id.example.com/auth/verify-email?token=tok-123',
      expiresAt: request().expiresAt,
    });
    expect(log.sent.get('event-1')).toBe('email-verification');
  });

  it('sends a key once: a redelivered event finds it in the log', async () => {
    await handler.handle('event-1', request());
    expect(await handler.handle('event-1', request())).toBe('duplicate');
    expect(mailer.sent).toHaveLength(1);
  });

  it('records nothing when the server refuses, so the retry sends it', async () => {
    mailer.failing = true;
    await expect(handler.handle('event-1', request())).rejects.toThrow(/refused/);
    expect(log.sent.size).toBe(0);
    mailer.failing = false;
    expect(await handler.handle('event-1', request())).toBe('sent');
  });

  it('does not mail a token that expired while the mail waited', async () => {
    const late = request();
    clock.advance(60_000);
    expect(await handler.handle('event-1', late)).toBe('expired');
    expect(mailer.sent).toHaveLength(0);
  });

  it('writes a notice (no token) with its values only', async () => {
    const notice = request({ template: 'email-change-notice', values: { newEmail: 'new@example.com' } });
    const { sealedToken: _s, linkPath: _l, expiresAt: _e, ...bare } = notice;
    await handler.handle('event-2', bare);
    expect(JSON.parse(mailer.sent[0]!.text)).toEqual({ newEmail: 'new@example.com' });
  });

  it('puts the code in the mail without a link when the request names no page', async () => {
    const { linkPath: _l, ...codeOnly } = request();
    await handler.handle('event-3', codeOnly);
    expect(JSON.parse(mailer.sent[0]!.text)).not.toHaveProperty('link');
  });
});
