import { ValidationError } from '../../../shared/domain/domain-error.js';

// Deliberately pragmatic (the WHATWG "valid e-mail address" shape): the only real proof of an
// address is a message that arrives, so the rule guards against typos and garbage, not RFC trivia.
const EMAIL_SHAPE =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export class Email {
  private constructor(readonly value: string) {}

  static create(raw: string): Email {
    const value = raw.trim().toLowerCase();
    if (value.length === 0) throw new ValidationError('email', 'is required');
    if (value.length > 254) throw new ValidationError('email', 'must be at most 254 characters');
    if (!EMAIL_SHAPE.test(value)) throw new ValidationError('email', 'is not a valid email address');
    return new Email(value);
  }

  get localPart(): string {
    return this.value.slice(0, this.value.lastIndexOf('@'));
  }
}
