import { ValidationError } from '../../../shared/domain/domain-error.js';

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** A first or last name: what a person calls themselves, so only length and control characters are checked. */
export class PersonName {
  private constructor(readonly value: string) {}

  static create(field: 'firstName' | 'lastName', raw: string): PersonName {
    const value = raw.trim();
    // Count code points, not UTF-16 units, so "100 characters" means what a person would count.
    const length = [...value].length;
    if (length < 1 || length > 100) throw new ValidationError(field, 'must be 1 to 100 characters');
    if (CONTROL_CHARACTERS.test(value)) throw new ValidationError(field, 'must not contain control characters');
    return new PersonName(value);
  }
}
