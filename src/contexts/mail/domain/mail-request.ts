/** The languages every template exists in; anything else is read as the first. */
export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

export function localeOf(value: unknown): Locale {
  return (LOCALES as readonly unknown[]).includes(value) ? (value as Locale) : LOCALES[0];
}

/** Every mail Portico writes, one template (subject, text and HTML, per locale) each. */
export const MAIL_TEMPLATES = [
  'email-verification',
  'password-reset',
  'email-change-confirmation',
  'email-change-notice',
  'sign-up-attempted',
  'second-factor-changed',
] as const;
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

/**
 * One mail to write: to whom, in which words, with what. `sealedToken` is the token the mail
 * carries, sealed by whoever issued it: only the mailer opens it, at the moment it renders.
 */
export interface MailRequest {
  readonly template: MailTemplate;
  readonly to: string;
  readonly locale: Locale;
  /** The page the link opens (`/auth/verify-email`), the token appended; absent for a notice. */
  readonly linkPath?: string;
  readonly sealedToken?: string;
  readonly expiresAt?: string;
  /** What the template may show besides the token: a name, the new address of a change. */
  readonly values: Readonly<Record<string, string>>;
}

/** A rendered mail: what every Mailer adapter sends. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly locale: Locale;
  /** Which template wrote it (a header, the `template` label of `emails_sent_total`). */
  readonly template: MailTemplate;
  /**
   * The delivery's key (the event, and which of its mails): the same on every attempt, so the
   * message has one Message-ID however often a crash makes it go out, and receivers can drop copies.
   */
  readonly deliveryKey: string;
}
