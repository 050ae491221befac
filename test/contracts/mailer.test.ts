import { afterAll, describe, expect, it } from 'vitest';
import { messageOptions } from '../../src/contexts/mail/infrastructure/mailers/message-options.js';
import { DevMailbox } from '../../src/contexts/mail/infrastructure/mailers/dev-mailbox.js';
import { SmtpMailer } from '../../src/contexts/mail/infrastructure/mailers/smtp-mailer.js';
import { InMemoryMailer } from '../support/in-memory/in-memory-mailer.js';
import { TestSmtpServer } from '../support/smtp-server.js';
import { FROM, mailerContract, parseRaw, type MailerSubject, type ReceivedMail } from './mailer.contract.js';

const A_RESET_MAIL = {
  to: 'a@example.com',
  subject: 's',
  text: 't',
  html: '<p>t</p>',
  locale: 'en',
  template: 'password-reset',
  deliveryKey: 'reset-1',
} as const;

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

/** One real SMTP server per adapter instance, so each test reads only its own mails. */
async function smtp(): Promise<MailerSubject & { server: TestSmtpServer }> {
  const server = await new TestSmtpServer().start();
  const mailer = new SmtpMailer(server.url, FROM);
  closers.push(async () => {
    mailer.close();
    await server.stop();
  });
  return { mailer, server, received: () => Promise.all(server.received.map((r) => parseRaw(r.raw))) };
}

function devMailbox(): MailerSubject {
  const mailer = new DevMailbox(FROM);
  return { mailer, received: () => Promise.all([...mailer.list()].reverse().map((entry) => parseRaw(entry.raw))) };
}

function inMemory(): MailerSubject {
  const mailer = new InMemoryMailer();
  const asReceived = (m: (typeof mailer.sent)[number]): ReceivedMail => {
    const options = messageOptions(m, FROM);
    const headers = Object.entries(options.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]);
    headers.push(['message-id', String(options.messageId)]);
    return {
      to: m.to,
      from: FROM,
      subject: m.subject,
      text: m.text,
      html: m.html,
      headers: new Map(headers as [string, string][]),
    };
  };
  return { mailer, received: async () => mailer.sent.map(asReceived) };
}

describe('Mailer contract: SMTP through nodemailer, to a real SMTP server (smtp-server)', () => {
  const servers: MailerSubject[] = [];
  const fresh = () => servers.shift()!;
  // Servers are started ahead: the contract's subject() is synchronous.
  it('starts its servers', async () => {
    for (let i = 0; i < 4; i += 1) servers.push(await smtp());
  });
  mailerContract(fresh);

  it('fails the send when the server refuses the message (the delivery is then retried)', async () => {
    const s = await smtp();
    s.server.refusing = true;
    await expect(s.mailer.send(A_RESET_MAIL)).rejects.toThrow(/451/);
    expect(s.server.received).toHaveLength(0);
  });

  it('fails the send when no server answers', async () => {
    const s = await smtp();
    await s.server.stop();
    await expect(s.mailer.send(A_RESET_MAIL)).rejects.toThrow();
  });
});

describe('Mailer contract: the development mailbox (in this process, composed by nodemailer)', () => {
  mailerContract(devMailbox);

  it('lists the newest first, finds one by id, and keeps the newest 200 only', async () => {
    const mailbox = new DevMailbox(FROM);
    for (let i = 1; i <= 205; i += 1) {
      await mailbox.send({
        to: `p${i}@example.com`,
        subject: `#${i}`,
        text: 't',
        html: '<p>t</p>',
        locale: 'en',
        template: 'email-verification',
        deliveryKey: `k${i}`,
      });
    }
    expect(mailbox.list()).toHaveLength(200);
    expect(mailbox.list()[0]!.subject).toBe('#205');
    expect(mailbox.find(205)!.to).toBe('p205@example.com');
    expect(mailbox.find(1)).toBeUndefined();
  });
});

describe('Mailer contract: in memory (unit tests)', () => {
  mailerContract(inMemory);
});
