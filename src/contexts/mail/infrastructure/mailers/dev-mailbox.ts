import { createTransport, type Transporter } from 'nodemailer';
import type { Mailer } from '../../application/mail-ports.js';
import type { OutgoingMail } from '../../domain/mail-request.js';
import { messageOptions } from './message-options.js';

/** The newest mails kept; older ones fall off (it is a development tool, in memory only). */
const KEPT = 200;

export interface MailboxEntry {
  readonly id: number;
  readonly to: string;
  readonly subject: string;
  readonly template: string;
  readonly text: string;
  readonly html: string;
  readonly receivedAt: Date;
  /** The message as an SMTP server would have received it (RFC 5322). */
  readonly raw: string;
}

/**
 * The development mailbox: with no SMTP_URL outside production, mails land here, in this
 * process's memory (never in a table: they hold live tokens), and /dev/mailbox shows them. The
 * message is composed by nodemailer exactly as for SMTP, so what a newcomer reads is what a real
 * server would receive.
 */
export class DevMailbox implements Mailer {
  private readonly composer: Transporter;
  private readonly entries: MailboxEntry[] = [];
  private nextId = 1;

  constructor(private readonly from: string) {
    this.composer = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = (await this.composer.sendMail(messageOptions(mail, this.from))) as { message: Buffer };
    const { to, subject, template, text, html } = mail;
    this.entries.unshift({
      id: this.nextId++,
      to,
      subject,
      template,
      text,
      html,
      receivedAt: new Date(),
      raw: info.message.toString('utf8'),
    });
    this.entries.length = Math.min(this.entries.length, KEPT);
  }

  /** Newest first. */
  list(): readonly MailboxEntry[] {
    return this.entries;
  }

  find(id: number): MailboxEntry | undefined {
    return this.entries.find((entry) => entry.id === id);
  }
}
