import { describe, expect, it } from 'vitest';
import { PasswordPolicy, type CommonPasswordList } from '../../../../src/shared/domain/password-policy.js';
import { thrown } from '../../../support/thrown.js';

const COMMON = new Set(['correcthorsebatterystaple']);
const common: CommonPasswordList = { contains: (password) => COMMON.has(password) };
const policy = new PasswordPolicy(common);
const owner = { emailLocalPart: 'ada.lovelace', username: 'countess' };
const STRONG = 'tr0ub4dor&3-xyzzy';

const weak = (message: string, field = 'password') => ({ code: 'weak_password', errors: [{ field, message }] });

describe('PasswordPolicy', () => {
  it('accepts a long, uncommon password unrelated to its owner', () => {
    expect(() => policy.check(STRONG, owner)).not.toThrow();
  });

  it('must be at least 12 characters', () => {
    expect(thrown(() => policy.check('x9!'.repeat(3) + 'ab', owner))).toMatchObject(
      weak('must be at least 12 characters'),
    );
  });

  it('may be exactly 12 and exactly 128 characters', () => {
    expect(() => policy.check('q'.repeat(12), owner)).not.toThrow();
    expect(() => policy.check('q'.repeat(128), owner)).not.toThrow();
  });

  it('must be at most 128 characters', () => {
    expect(thrown(() => policy.check('q'.repeat(129), owner))).toMatchObject(weak('must be at most 128 characters'));
  });

  it('counts characters, not UTF-16 units', () => {
    // 11 emoji are 22 UTF-16 units but only 11 characters.
    expect(thrown(() => policy.check('🔑'.repeat(11), owner))).toMatchObject(weak('must be at least 12 characters'));
  });

  it('must not be a common password, whatever its case', () => {
    expect(thrown(() => policy.check('CorrectHorseBatteryStaple', owner))).toMatchObject(weak('is too common'));
  });

  it('must not contain the email local part, whatever its case', () => {
    expect(thrown(() => policy.check('my-ADA.LOVELACE-pass', owner))).toMatchObject(
      weak('must not contain the email or username'),
    );
  });

  it('must not contain the username, whatever its case', () => {
    expect(thrown(() => policy.check('the-Countess-of-code', owner))).toMatchObject(
      weak('must not contain the email or username'),
    );
  });

  it('ignores owner parts shorter than 3 characters, which almost any password would contain', () => {
    expect(() => policy.check('paragraph-abacus', { emailLocalPart: 'ab', username: 'a' })).not.toThrow();
  });

  it('works without a known owner', () => {
    expect(() => policy.check(STRONG, {})).not.toThrow();
  });

  it('names the field it checked', () => {
    expect(thrown(() => policy.check('short', owner, 'newPassword'))).toMatchObject(
      weak('must be at least 12 characters', 'newPassword'),
    );
  });
});
