import { ValidationError } from '../../../shared/domain/domain-error.js';

const USERNAME_SHAPE = /^[a-z0-9][a-z0-9._-]{2,29}$/;

export class Username {
  private constructor(readonly value: string) {}

  static create(raw: string): Username {
    const value = raw.trim().toLowerCase();
    if (value.length < 3 || value.length > 30) {
      throw new ValidationError('username', 'must be 3 to 30 characters');
    }
    if (!USERNAME_SHAPE.test(value)) {
      throw new ValidationError(
        'username',
        'may contain only a-z, 0-9, ".", "_" and "-", and must start with a letter or digit',
      );
    }
    return new Username(value);
  }
}
