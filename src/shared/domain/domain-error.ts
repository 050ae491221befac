/** A field-level complaint, so a client can show it next to the input that caused it. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * An expected failure of a business rule. `code` is stable and machine-readable; the HTTP layer
 * maps it to a status in one table. Invariant breaks are plain `Error`s, not DomainErrors.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class ValidationError extends DomainError {
  constructor(field: string, message: string) {
    super('validation_failed', `${field}: ${message}`, [{ field, message }]);
  }

  /** Several field errors at once, so a client sees every problem in one round trip. */
  static combine(errors: readonly ValidationError[]): DomainError {
    if (errors.length === 1) return errors[0]!;
    return new DomainError(
      'validation_failed',
      errors.map((e) => e.message).join('; '),
      errors.flatMap((e) => e.errors),
    );
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not_found', `${what} ${id} was not found`);
  }
}

export class VersionConflictError extends DomainError {
  constructor(expected: readonly number[], actual: number) {
    const wanted = expected.length === 0 ? 'no version If-Match can match' : `version ${expected.join(' or ')}`;
    super('version_conflict', `expected ${wanted}, but the current version is ${actual}`);
  }
}
