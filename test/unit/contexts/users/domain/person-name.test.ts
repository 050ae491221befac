import { describe, expect, it } from 'vitest';
import { PersonName } from '../../../../../src/contexts/users/domain/person-name.js';
import { thrown } from '../../../../support/thrown.js';

const refusal = (field: string, message: string) => ({ code: 'validation_failed', errors: [{ field, message }] });

describe('PersonName', () => {
  it('is trimmed', () => {
    expect(PersonName.create('firstName', '  Ada  ').value).toBe('Ada');
  });

  it('must not be empty after trimming', () => {
    expect(thrown(() => PersonName.create('firstName', ' \t '))).toMatchObject(
      refusal('firstName', 'must be 1 to 100 characters'),
    );
  });

  it('may be 100 characters', () => {
    expect(PersonName.create('lastName', 'x'.repeat(100)).value).toHaveLength(100);
  });

  it('must be at most 100 characters', () => {
    expect(thrown(() => PersonName.create('lastName', 'x'.repeat(101)))).toMatchObject(
      refusal('lastName', 'must be 1 to 100 characters'),
    );
  });

  it('counts characters as a person would, not UTF-16 units', () => {
    const hundredEmoji = '😀'.repeat(100);
    expect(PersonName.create('firstName', hundredEmoji).value).toBe(hundredEmoji);
  });

  it.each(['Ada\u0000', 'Ada\nLovelace', 'Ada\u007f', 'Ada\u0085x'])(
    'must not contain control characters: %j',
    (raw) => {
      expect(thrown(() => PersonName.create('lastName', raw))).toMatchObject(
        refusal('lastName', 'must not contain control characters'),
      );
    },
  );

  it('accepts letters of any script, spaces, apostrophes and hyphens', () => {
    expect(PersonName.create('lastName', "José O'Neil-Łukasz 李").value).toBe("José O'Neil-Łukasz 李");
  });
});
