import type { Sealer } from '../../../shared/application/ports/sealer.js';
import type { Locale, MailTemplate, OutgoingMail } from '../domain/mail-request.js';

/** Sends one rendered mail; throws when the server did not take it (the delivery is retried). */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** What a template shows: the values of the request, plus the code and the link when it has a token. */
export interface TemplateModel {
  readonly code?: string;
  readonly link?: string;
  readonly expiresAt?: string;
  readonly [value: string]: string | undefined;
}

export interface MailRenderer {
  render(template: MailTemplate, locale: Locale, model: TemplateModel): { subject: string; text: string; html: string };
}

/** Which mails went out, by a key of the event that asked for them: a redelivered event is sent once. */
export interface DeliveryLog {
  wasSent(key: string): Promise<boolean>;
  recordSent(key: string, template: MailTemplate): Promise<void>;
}

export type { Sealer };
