import type { Mailer } from '../../../src/contexts/mail/application/mail-ports.js';
import type { OutgoingMail } from '../../../src/contexts/mail/domain/mail-request.js';

/** The Mailer for unit tests: keeps what it was given; `failing` makes the next sends throw. */
export class InMemoryMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  failing = false;

  async send(mail: OutgoingMail): Promise<void> {
    if (this.failing) throw new Error('the mail server refused the message');
    this.sent.push(mail);
  }
}
