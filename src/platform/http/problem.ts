import type { FieldError } from '../../shared/domain/domain-error.js';

/** RFC 9457 problem details, with the stable `code` of the API contract. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: FieldError[];
}

/** The one table that maps every error code to its HTTP status and title. */
export const PROBLEM_CATALOGUE: Readonly<Record<string, { status: number; title: string }>> = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  weak_password: { status: 400, title: 'The password is too weak' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  refresh_token_invalid: { status: 401, title: 'The refresh token is not valid' },
  refresh_token_reused: { status: 401, title: 'The refresh token was reused' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  email_taken: { status: 409, title: 'The email is already taken' },
  username_taken: { status: 409, title: 'The username is already taken' },
  idempotency_key_in_use: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  version_conflict: { status: 412, title: 'The resource has changed' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  idempotency_key_reused: { status: 422, title: 'The Idempotency-Key was used with another request' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'The service is unavailable' },
};

export function problem(code: string, detail: string, errors?: readonly FieldError[]): Problem {
  const entry = PROBLEM_CATALOGUE[code] ?? PROBLEM_CATALOGUE.internal_error!;
  return {
    type: `/problems/${code.replaceAll('_', '-')}`,
    title: entry.title,
    status: entry.status,
    detail,
    code,
    ...(errors && errors.length > 0 && { errors: [...errors] }),
  };
}

/** An HTTP-level failure raised by adapters (not a domain rule): carries its problem and headers. */
export class HttpProblemError extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem.detail);
    this.name = 'HttpProblemError';
  }

  static of(code: string, detail: string, headers: Record<string, string> = {}, errors?: readonly FieldError[]) {
    return new HttpProblemError(problem(code, detail, errors), headers);
  }
}
