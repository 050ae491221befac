import { localeOf, type MailRequest } from './mail-request.js';

/**
 * The events that ask for mail, by their wire names (the contract with the contexts that publish
 * them; nothing of theirs is imported), and the mails each one asks for. Data: `email`,
 * `username`, `locale`, and `sealedToken`, `expiresAt`, `newEmail`, `change`, `by` where they apply.
 */
export const MAIL_EVENT_TYPES = [
  'auth.email_verification.requested',
  'auth.password_reset.requested',
  'auth.email_change.requested',
  'auth.sign_up.attempted',
  'auth.second_factor.changed',
] as const;

type Data = Readonly<Record<string, unknown>>;

/** What a template may show besides the name, when the event carries it. */
const OPTIONAL_VALUES = ['newEmail', 'change', 'by'] as const;

const text = (data: Data, field: string): string | undefined =>
  typeof data[field] === 'string' ? (data[field] as string) : undefined;

/** The mails one event asks for, each with the key that makes its delivery happen once; [] if none. */
export function mailsFor(eventId: string, type: string, data: Data): { key: string; request: MailRequest }[] {
  const to = text(data, 'email');
  if (!to) return [];
  const base = {
    to,
    locale: localeOf(data.locale),
    values: {
      username: text(data, 'username') ?? '',
      ...Object.fromEntries(
        OPTIONAL_VALUES.flatMap((field) => (text(data, field) ? [[field, text(data, field)!]] : [])),
      ),
    },
  };
  const token = {
    ...(text(data, 'sealedToken') && { sealedToken: text(data, 'sealedToken')! }),
    ...(text(data, 'expiresAt') && { expiresAt: text(data, 'expiresAt')! }),
  };
  switch (type) {
    case 'auth.email_verification.requested':
      return [
        {
          key: eventId,
          request: { ...base, ...token, template: 'email-verification', linkPath: '/auth/verify-email' },
        },
      ];
    case 'auth.password_reset.requested':
      return [
        { key: eventId, request: { ...base, ...token, template: 'password-reset', linkPath: '/auth/reset-password' } },
      ];
    case 'auth.email_change.requested': {
      const newEmail = text(data, 'newEmail');
      if (!newEmail) return [];
      return [
        {
          key: `${eventId}:confirmation`,
          request: {
            ...base,
            ...token,
            to: newEmail,
            template: 'email-change-confirmation',
            linkPath: '/auth/confirm-email-change',
          },
        },
        { key: `${eventId}:notice`, request: { ...base, template: 'email-change-notice' } },
      ];
    }
    case 'auth.sign_up.attempted':
      return [{ key: eventId, request: { ...base, template: 'sign-up-attempted' } }];
    case 'auth.second_factor.changed':
      return [{ key: eventId, request: { ...base, template: 'second-factor-changed' } }];
    default:
      return [];
  }
}
