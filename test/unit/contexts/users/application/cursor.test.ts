import { describe, expect, it } from 'vitest';
import { Cursor } from '../../../../../src/contexts/users/application/list-users/cursor.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { thrown } from '../../../../support/thrown.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64url');
const NOT_OURS = {
  code: 'validation_failed',
  errors: [{ field: 'cursor', message: 'is not a cursor this API issued' }],
};

describe('Cursor', () => {
  it('decodes to the id it was encoded from', () => {
    const id = UserMother.id();
    expect(Cursor.decode(Cursor.encode(id))).toBe(id);
  });

  it('is opaque: the id does not appear in it', () => {
    const id = UserMother.id();
    expect(Cursor.encode(id)).not.toContain(id);
  });

  it.each([
    ['not base64 JSON', '!!!'],
    ['JSON null', b64('null')],
    ['JSON without "after"', b64('{"before":"x"}')],
    ['an "after" that is not a string', b64('{"after":42}')],
    ['an "after" that is not a UUID', b64('{"after":"1; drop table users"}')],
  ])('refuses %s with validation_failed on cursor', (_what, cursor) => {
    expect(thrown(() => Cursor.decode(cursor))).toMatchObject(NOT_OURS);
  });
});
