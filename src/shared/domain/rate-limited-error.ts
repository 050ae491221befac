import { DomainError } from './domain-error.js';

/** Too many attempts: the caller may try again after `retryAfterSeconds` (HTTP 429 + Retry-After). */
export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', `too many attempts; try again in ${retryAfterSeconds} s`);
  }
}
