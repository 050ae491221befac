import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../src/shared/domain/domain-error.js';
import { RateLimitedError } from '../../../../src/shared/domain/rate-limited-error.js';

describe('RateLimitedError', () => {
  it('is a rate_limited DomainError that says when to try again', () => {
    const error = new RateLimitedError(42);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 42, errors: [] });
    expect(error.message).toBe('too many attempts; try again in 42 s');
  });
});
