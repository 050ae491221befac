import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { DomainError, type FieldError } from '../../shared/domain/domain-error.js';
import { isDatabaseUnavailable } from '../db/database.js';
import { HttpProblemError, problem, type ProblemCatalogue, type Problem } from './problem.js';

/** The problem for any error, whoever raised it. A 500 is the only answer that hides the cause. */
export function toProblem(
  error: unknown,
  catalogue: ProblemCatalogue,
): { problem: Problem; headers: Record<string, string> } {
  if (error instanceof HttpProblemError) return { problem: error.problem, headers: { ...error.headers } };
  if (error instanceof DomainError) {
    const retryAfter = (error as DomainError & { retryAfterSeconds?: number }).retryAfterSeconds;
    return {
      problem: catalogue.problem(error.code, error.message, error.errors),
      headers: retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) {
    const where = fastifyError.validationContext ?? 'body';
    const errors = fastifyError.validation.map((v) => fieldError(where, v));
    return {
      problem: problem('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), errors),
      headers: {},
    };
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { problem: problem('unsupported_media_type', 'send the body as application/json'), headers: {} };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { problem: problem('payload_too_large', 'the body must be at most 64 KiB'), headers: {} };
    case 'FST_ERR_BAD_URL':
      return {
        problem: problem('validation_failed', 'the URL is not valid (malformed percent-encoding)'),
        headers: {},
      };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { problem: problem('validation_failed', 'a path parameter is too long'), headers: {} };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        problem: problem('validation_failed', 'the body is not valid JSON', [
          { field: 'body', message: 'is not valid JSON' },
        ]),
        headers: {},
      };
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const detail =
      error instanceof SyntaxError ? 'the body is not valid JSON' : (fastifyError.message ?? 'bad request');
    return { problem: { ...problem('validation_failed', detail), status }, headers: {} };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      problem: problem('service_unavailable', 'the database cannot be reached; try again shortly'),
      headers: { 'Retry-After': '5' },
    };
  }
  return {
    problem: problem('internal_error', 'something went wrong on our side; the request id identifies it'),
    headers: {},
  };
}

interface AjvError {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

function fieldError(where: string, v: AjvError): FieldError {
  const path = (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  if (v.keyword === 'required') {
    const missing = String(v.params?.missingProperty ?? '');
    return { field: path ? `${path}.${missing}` : missing, message: 'is required' };
  }
  if (v.keyword === 'additionalProperties') {
    const extra = String(v.params?.additionalProperty ?? '');
    return { field: path ? `${path}.${extra}` : extra, message: 'is not a known field' };
  }
  return { field: path || where, message: v.message ?? 'is not valid' };
}

export function sendProblem(reply: FastifyReply, problemDetails: Problem, headers: Record<string, string> = {}) {
  // RFC 9110 §15.5.2: every 401 names a scheme; the access policy's own challenges say more.
  const challenge =
    problemDetails.status === 401 && !Object.keys(headers).some((h) => h.toLowerCase() === 'www-authenticate')
      ? { 'WWW-Authenticate': 'Bearer realm="portico"' }
      : {};
  return reply
    .code(problemDetails.status)
    .headers({ ...headers, ...challenge })
    .type('application/problem+json')
    .send(problemDetails);
}

export function registerErrorHandling(app: FastifyInstance, catalogue: ProblemCatalogue): void {
  app.setErrorHandler((error, request, reply) => {
    const { problem: details, headers } = toProblem(error, catalogue);
    // A problem we raised on purpose (admission control's 503, say) is an answer, not a fault: no
    // stack trace, whose source-mapped rendering cost more than the answer under overload.
    if (details.status >= 500 && !(error instanceof HttpProblemError))
      request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: details.code, status: details.status }, 'request refused');
    return sendProblem(reply, details, headers);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`)),
  );
}
