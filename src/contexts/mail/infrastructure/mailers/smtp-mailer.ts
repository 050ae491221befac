import { createTransport, type Transporter } from 'nodemailer';
import type { Mailer } from '../../application/mail-ports.js';
import type { OutgoingMail } from '../../domain/mail-request.js';
import { messageOptions } from './message-options.js';

/** Bounds every step, so a server that stops answering fails the delivery (and it is retried) instead of hanging it. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** The Mailer over SMTP (SMTP_URL: `smtp://` with STARTTLS when offered, `smtps://` TLS from the start). */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    const url = new URL(smtpUrl);
    this.transport = createTransport({
      host: url.hostname,
      port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
      secure: url.protocol === 'smtps:',
      ...(url.username && {
        auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
      }),
      ...TIMEOUTS,
    });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail(messageOptions(mail, this.from));
  }

  close(): void {
    this.transport.close();
  }
}
