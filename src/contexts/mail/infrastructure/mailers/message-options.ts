import type { SendMailOptions } from 'nodemailer';
import type { OutgoingMail } from '../../domain/mail-request.js';

/**
 * The one shape every adapter sends, so the SMTP server and the development mailbox receive the
 * same message: text and HTML parts, the language, `Auto-Submitted` (RFC 3834) so that vacation
 * responders and ticket systems do not answer a machine, and a Message-ID made of the delivery's
 * key: a mail sent again after a crash (between the send and its record) is the same message.
 */
export function messageOptions(mail: OutgoingMail, from: string): SendMailOptions {
  return {
    from,
    messageId: messageIdOf(mail.deliveryKey, from),
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

/** `<key@domain of MAIL_FROM>`, the key's `:` (not allowed in a msg-id, RFC 5322 §3.6.4) as `.`. */
export function messageIdOf(deliveryKey: string, from: string): string {
  const domain = /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'portico.invalid';
  return `<${deliveryKey.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '.')}@${domain}>`;
}
