import { describe, expect, it } from 'vitest';
import {
  InvalidCredentialsError,
  RateLimitedError,
  RefreshTokenInvalidError,
  RefreshTokenReusedError,
} from '../../../../../src/contexts/auth/domain/auth-errors.js';
import { DomainError } from '../../../../../src/shared/domain/domain-error.js';

describe('auth errors', () => {
  it.each([
    [new InvalidCredentialsError(), 'invalid_credentials'],
    [new RefreshTokenInvalidError(), 'refresh_token_invalid'],
    [new RefreshTokenReusedError(), 'refresh_token_reused'],
    [new RateLimitedError(30), 'rate_limited'],
  ])('%s carries the stable code %s and no field errors', (error, code) => {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code, errors: [] });
  });

  it('says the same thing whatever made a login fail', () => {
    expect(new InvalidCredentialsError().message).toBe('the email or password is wrong');
  });
});
