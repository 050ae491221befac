import type { SendMailOptions } from 'nodemailer';
import type { OutgoingMail } from '../../domain/mail-request.js';

/**
 * The one shape every adapter sends, so the SMTP server and the development mailbox receive the
 * same message: text and HTML parts, the language, and `Auto-Submitted` (RFC 3834) so that
 * vacation responders and ticket systems do not answer a machine.
 */
export function messageOptions(mail: OutgoingMail, from: string): SendMailOptions {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: {
      'Auto-Submitted': 'auto-generated',
      'Content-Language': mail.locale,
      'X-Portico-Template': mail.template,
    },
  };
}
