import { DomainError } from './domain-error.js';

/** Port: a list of passwords known from breaches and dictionaries. */
export interface CommonPasswordList {
  contains(password: string): boolean;
}

export class WeakPasswordError extends DomainError {
  constructor(reason: string, field = 'password') {
    super('weak_password', `${field} ${reason}`, [{ field, message: reason }]);
  }
}

export interface PasswordOwner {
  readonly emailLocalPart?: string;
  readonly username?: string;
}

/**
 * The password rules of the API contract. It sees the plaintext once, in the API process, before
 * hashing; the plaintext never leaves that process.
 */
export class PasswordPolicy {
  constructor(private readonly common: CommonPasswordList) {}

  check(plain: string, owner: PasswordOwner, field = 'password'): void {
    const length = [...plain].length;
    if (length < 12) throw this.weak(field, 'must be at least 12 characters');
    if (length > 128) throw this.weak(field, 'must be at most 128 characters');
    const lower = plain.toLowerCase();
    if (this.common.contains(lower)) throw this.weak(field, 'is too common');
    for (const part of [owner.emailLocalPart, owner.username]) {
      if (part && part.length >= 3 && lower.includes(part.toLowerCase())) {
        throw this.weak(field, 'must not contain the email or username');
      }
    }
  }

  private weak(field: string, reason: string): WeakPasswordError {
    return new WeakPasswordError(reason, field);
  }
}
