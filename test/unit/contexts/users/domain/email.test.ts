import { describe, expect, it } from 'vitest';
import { Email } from '../../../../../src/contexts/users/domain/email.js';
import { thrown } from '../../../../support/thrown.js';

const refusal = (message: string) => ({ code: 'validation_failed', errors: [{ field: 'email', message }] });

describe('Email', () => {
  it('is trimmed and lower-cased', () => {
    expect(Email.create('  Ada.Lovelace@Example.COM \n').value).toBe('ada.lovelace@example.com');
  });

  it('is required', () => {
    expect(thrown(() => Email.create('   '))).toMatchObject(refusal('is required'));
  });

  it('may be 254 characters long', () => {
    const email = `${'a'.repeat(254 - '@example.com'.length)}@example.com`;
    expect(Email.create(email).value).toHaveLength(254);
  });

  it('may not be longer than 254 characters', () => {
    const email = `${'a'.repeat(255 - '@example.com'.length)}@example.com`;
    expect(thrown(() => Email.create(email))).toMatchObject(refusal('must be at most 254 characters'));
  });

  it('counts the length after trimming', () => {
    const email = `${'a'.repeat(254 - '@example.com'.length)}@example.com`;
    expect(Email.create(`  ${email}  `).value).toBe(email);
  });

  it.each([
    'ada',
    'ada@',
    '@example.com',
    'ada@example',
    'ada@@example.com',
    'ada lovelace@example.com',
    'ada@-example.com',
    'adä@example.com',
  ])('must be a valid address: %j is refused', (raw) => {
    expect(thrown(() => Email.create(raw))).toMatchObject(refusal('is not a valid email address'));
  });

  it.each(["o'brien+tag@mail.example.co.uk", 'a@b.io', 'first.last@sub-domain.example.org'])(
    'accepts ordinary addresses such as %j',
    (raw) => {
      expect(Email.create(raw).value).toBe(raw);
    },
  );

  it('exposes the local part, the text before the @', () => {
    expect(Email.create('Ada.Lovelace@example.com').localPart).toBe('ada.lovelace');
  });
});
