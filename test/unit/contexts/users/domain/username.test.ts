import { describe, expect, it } from 'vitest';
import { Username } from '../../../../../src/contexts/users/domain/username.js';
import { thrown } from '../../../../support/thrown.js';

const LENGTH = { code: 'validation_failed', errors: [{ field: 'username', message: 'must be 3 to 30 characters' }] };
const SHAPE = {
  code: 'validation_failed',
  errors: [{ field: 'username', message: expect.stringContaining('may contain only') }],
};

describe('Username', () => {
  it('is trimmed and stored lower-case', () => {
    expect(Username.create('  Ada_Lovelace ').value).toBe('ada_lovelace');
  });

  it('may be 3 characters', () => {
    expect(Username.create('ada').value).toBe('ada');
  });

  it('may be 30 characters', () => {
    expect(Username.create('a'.repeat(30)).value).toHaveLength(30);
  });

  it('must be at least 3 characters', () => {
    expect(thrown(() => Username.create('ad'))).toMatchObject(LENGTH);
  });

  it('must be at most 30 characters', () => {
    expect(thrown(() => Username.create('a'.repeat(31)))).toMatchObject(LENGTH);
  });

  it('accepts digits, dots, underscores and hyphens after the first character', () => {
    expect(Username.create('9a.b_c-d').value).toBe('9a.b_c-d');
  });

  it.each(['.ada', '_ada', '-ada'])('must start with a letter or digit: %j is refused', (raw) => {
    expect(thrown(() => Username.create(raw))).toMatchObject(SHAPE);
  });

  it.each(['ada lovelace', 'ada@home', 'adä', 'ada+1'])('may contain only a-z 0-9 . _ -: %j is refused', (raw) => {
    expect(thrown(() => Username.create(raw))).toMatchObject(SHAPE);
  });
});
