import { describe, expect, it } from 'vitest';
import { localeOf } from '../../../../../src/contexts/mail/domain/mail-request.js';

describe('localeOf', () => {
  it('keeps a locale every template exists in, and reads anything else as English', () => {
    expect(localeOf('es')).toBe('es');
    expect(localeOf('en')).toBe('en');
    expect(localeOf('fr')).toBe('en');
    expect(localeOf(undefined)).toBe('en');
  });
});
