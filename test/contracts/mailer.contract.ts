import { simpleParser } from 'mailparser';
import { expect, it } from 'vitest';
import type { Mailer } from '../../src/contexts/mail/application/mail-ports.js';
import type { OutgoingMail } from '../../src/contexts/mail/domain/mail-request.js';
import { EtaMailRenderer } from '../../src/contexts/mail/infrastructure/templates/eta-mail-renderer.js';

/** A mail as its recipient sees it: from the parsed message (or, in memory, from what was sent). */
export interface ReceivedMail {
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: ReadonlyMap<string, string>;
}

export interface MailerSubject {
  readonly mailer: Mailer;
  /** Every mail received so far, oldest first. */
  received(): Promise<ReceivedMail[]>;
  close?(): Promise<void>;
}

export const FROM = 'Portico <no-reply@portico.test>';

/** Parses a raw RFC 5322 message with mailparser, as a mail client would read it. */
export async function parseRaw(raw: string): Promise<ReceivedMail> {
  const parsed = await simpleParser(raw);
  const headers = new Map<string, string>();
  for (const [name, value] of parsed.headers) headers.set(name, typeof value === 'string' ? value : String(value));
  const address = (a: typeof parsed.to) => (Array.isArray(a) ? a[0] : a)?.text ?? '';
  return {
    to: address(parsed.to),
    from: parsed.from ? `${parsed.from.value[0]!.name} <${parsed.from.value[0]!.address}>` : '',
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    headers,
  };
}

const renderer = new EtaMailRenderer();

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: 'ada@example.com',
    subject: 'Confirm your email address',
    text: 'Paste this code: abc123',
    html: '<p>Paste this code: <code>abc123</code></p>',
    locale: 'en',
    template: 'email-verification',
    deliveryKey: '0190a8f2-6b1c-7d3e-9f00-123456789abc:confirmation',
    ...overrides,
  };
}

const model = {
  username: 'ada<b>',
  code: 'tok_3kQ-9zZ',
  link: 'http://portico.test/auth/verify-email?token=tok_3kQ-9zZ',
  expiresAt: '2026-12-02T23:00:00.000Z',
};

/** What every Mailer adapter must do; `subject` builds a fresh adapter and its receiving end. */
export function mailerContract(subject: () => MailerSubject): void {
  it('delivers a text and an HTML part, to the recipient, from MAIL_FROM', async () => {
    const s = subject();
    await s.mailer.send(mail());
    const [received] = await s.received();
    expect(received!.to).toBe('ada@example.com');
    expect(received!.from).toBe(FROM);
    expect(received!.subject).toBe('Confirm your email address');
    expect(received!.text.trim()).toBe('Paste this code: abc123');
    expect(received!.html).toContain('<code>abc123</code>');
  });

  it('marks every mail auto-generated (RFC 3834), with its language and template', async () => {
    const s = subject();
    await s.mailer.send(mail({ locale: 'es', template: 'password-reset' }));
    const [received] = await s.received();
    expect(received!.headers.get('auto-submitted')).toBe('auto-generated');
    expect(received!.headers.get('content-language')).toBe('es');
    expect(received!.headers.get('x-portico-template')).toBe('password-reset');
  });

  it('names the message after its delivery: one Message-ID however often it is sent', async () => {
    const s = subject();
    await s.mailer.send(mail());
    await s.mailer.send(mail());
    const ids = (await s.received()).map((r) => r.headers.get('message-id'));
    expect(ids).toEqual([
      '<0190a8f2-6b1c-7d3e-9f00-123456789abc.confirmation@portico.test>',
      '<0190a8f2-6b1c-7d3e-9f00-123456789abc.confirmation@portico.test>',
    ]);
  });

  it('carries a rendered template in either locale intact: accents, the code, the link, escaped HTML', async () => {
    const s = subject();
    for (const locale of ['en', 'es'] as const) {
      const rendered = renderer.render('email-verification', locale, model);
      await s.mailer.send(mail({ ...rendered, locale }));
    }
    const [en, es] = await s.received();
    expect(en!.subject).toBe('Confirm your email address');
    expect(es!.subject).toBe('Confirma tu dirección de correo');
    for (const received of [en!, es!]) {
      expect(received.text).toContain(model.code);
      expect(received.text).toContain(model.link);
      // The link and the code each stand in their own paragraph, as the text template lays them out.
      expect(received.text).toContain(`\n\n${model.link}\n\n`);
      expect(received.text).toContain(`\n\n${model.code}\n\n`);
      expect(received.text).toContain('ada<b>');
      expect(received.html).toContain(`href="${model.link}"`);
      expect(received.html).toContain('ada&lt;b&gt;');
      expect(received.html).not.toContain('ada<b>');
    }
    expect(es!.text).toContain('Confirma tu dirección de correo abriendo esta página');
  });
}
