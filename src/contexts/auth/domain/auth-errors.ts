import { DomainError } from '../../../shared/domain/domain-error.js';

/** One answer for every login failure, so the response reveals nothing about accounts. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('invalid_credentials', 'the email or password is wrong');
  }
}

export class RefreshTokenInvalidError extends DomainError {
  constructor() {
    super('refresh_token_invalid', 'the refresh token is not valid');
  }
}

export class RefreshTokenReusedError extends DomainError {
  constructor() {
    super('refresh_token_reused', 'the refresh token was already used; the session has been revoked');
  }
}

/** A session that is not the caller's, or no longer live, is reported as absent: ids cannot be probed. */
export class SessionNotFoundError extends DomainError {
  constructor(sessionId: string) {
    super('not_found', `session ${sessionId} was not found`);
  }
}

export { RateLimitedError } from '../../../shared/domain/rate-limited-error.js';
