import { ValidationError } from '../../../shared/domain/domain-error.js';

/** The languages Portico writes mails in. */
export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

export function parseLocale(raw: string | undefined): Locale {
  if (raw === undefined) return 'en';
  if (!(LOCALES as readonly string[]).includes(raw)) {
    throw new ValidationError('locale', `must be one of ${LOCALES.join(', ')}`);
  }
  return raw as Locale;
}
