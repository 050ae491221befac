import { describe, expect, it } from 'vitest';
import {
  DomainError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../../../src/shared/domain/domain-error.js';

describe('DomainError', () => {
  it('carries a stable code, a message and no field errors by default', () => {
    const error = new DomainError('some_code', 'something');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'DomainError', code: 'some_code', message: 'something', errors: [] });
  });

  it('a ValidationError names the field that failed', () => {
    expect(new ValidationError('email', 'is required')).toMatchObject({
      code: 'validation_failed',
      message: 'email: is required',
      errors: [{ field: 'email', message: 'is required' }],
    });
  });

  it('combining one ValidationError returns that same error', () => {
    const only = new ValidationError('email', 'is required');
    expect(ValidationError.combine([only])).toBe(only);
  });

  it('combining several ValidationErrors reports every field in one validation_failed error', () => {
    const combined = ValidationError.combine([
      new ValidationError('email', 'is required'),
      new ValidationError('username', 'is too short'),
    ]);
    expect(combined).toMatchObject({
      code: 'validation_failed',
      message: 'email: is required; username: is too short',
      errors: [
        { field: 'email', message: 'is required' },
        { field: 'username', message: 'is too short' },
      ],
    });
  });

  it('a NotFoundError has the code not_found and names what was missing', () => {
    expect(new NotFoundError('user', 'u-1')).toMatchObject({ code: 'not_found', message: 'user u-1 was not found' });
  });

  it('a VersionConflictError has the code version_conflict and names both versions', () => {
    expect(new VersionConflictError([2], 3)).toMatchObject({
      code: 'version_conflict',
      message: 'expected version 2, but the current version is 3',
    });
    expect(new VersionConflictError([1, 2], 3).message).toBe('expected version 1 or 2, but the current version is 3');
    expect(new VersionConflictError([], 3).message).toBe(
      'expected no version If-Match can match, but the current version is 3',
    );
  });
});
