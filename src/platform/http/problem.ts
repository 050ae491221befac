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

export interface ProblemEntry {
  readonly status: number;
  readonly title: string;
}

/**
 * The codes the platform and the shared kernel raise themselves. Each context adds its own from
 * its manifest; `ProblemCatalogue` is the one table the HTTP layer answers from.
 */
const REQUEST_PROBLEMS: Readonly<Record<string, ProblemEntry>> = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  weak_password: { status: 400, title: 'The password is too weak' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  idempotency_key_in_use: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  version_conflict: { status: 412, title: 'The resource has changed' },
  idempotency_key_reused: { status: 422, title: 'The Idempotency-Key was used with another request' },
  rate_limited: { status: 429, title: 'Too many requests' },
};

const SERVER_PROBLEMS: Readonly<Record<string, ProblemEntry>> = {
  headers_too_large: { status: 431, title: 'Request Header Fields Too Large' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'The service is unavailable' },
};

export const PLATFORM_PROBLEMS: Readonly<Record<string, ProblemEntry>> = { ...REQUEST_PROBLEMS, ...SERVER_PROBLEMS };

/** Every error code the service answers with, mapped to its HTTP status and title. */
export class ProblemCatalogue {
  readonly entries: Readonly<Record<string, ProblemEntry>>;

  constructor(contextProblems: Readonly<Record<string, ProblemEntry>> = {}) {
    this.entries = { ...PLATFORM_PROBLEMS, ...contextProblems };
  }

  has(code: string): boolean {
    return Object.hasOwn(this.entries, code);
  }

  /** An unknown code is an invariant break of ours: it answers as the 500 it is, keeping the code. */
  problem(code: string, detail: string, errors?: readonly FieldError[]): Problem {
    const entry = this.entries[code] ?? PLATFORM_PROBLEMS.internal_error!;
    return {
      type: `/problems/${code.replaceAll('_', '-')}`,
      title: entry.title,
      status: entry.status,
      detail,
      code,
      ...(errors && errors.length > 0 && { errors: [...errors] }),
    };
  }
}

const platformCatalogue = new ProblemCatalogue();

/** A problem with one of the platform's own codes (the adapters' 401, 415, 503…). */
export function problem(code: string, detail: string, errors?: readonly FieldError[]): Problem {
  return platformCatalogue.problem(code, detail, errors);
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
