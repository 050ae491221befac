import { createRequire } from 'node:module';
import pino from 'pino';
import type PinoPretty from 'pino-pretty';
import { logCorrelation } from '../observability/tracing/log-correlation.js';

export type Logger = pino.Logger;

/** Fields that hold a secret wherever they appear: top level or one object down (`body.password`). */
const SECRET_FIELDS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'adminPassword',
  'refreshToken',
  'accessToken',
  'token',
  'authorization',
  'cookie',
  'private_jwk',
];

/** Anything that could carry a secret is removed before a line is written. */
export const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  // Request and response headers, as logged directly or inside `req`/`res`/`request`.
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
];

export interface LoggerOptions {
  readonly level: string;
  /** Readable lines (pino-pretty) instead of one JSON object per line; redacted just the same. */
  readonly pretty: boolean;
  readonly destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    base: { service: 'portico' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
    // correlationId, commandId / eventId and trace_id / span_id of the work now running.
    mixin: logCorrelation,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.pretty) return pino(base, prettyStream(options.destination));
  if (options.destination) return pino(base, options.destination);
  // Asynchronous stdout: a write in flight collects the lines that follow into one write, instead
  // of a blocking write per line (a tenth of a request's CPU under load). pino flushes it on exit.
  return pino(base, pino.destination({ dest: 1, sync: false }));
}

/**
 * pino-pretty in this thread, writing synchronously: a person reads these lines at a terminal, so
 * they come in order with what the CLI writes itself (a one-line error just before it exits), and
 * no transport thread has to start first. Loaded only when asked for: JSON logs never pay for it.
 */
function prettyStream(destination: pino.DestinationStream | undefined): pino.DestinationStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pretty({
    translateTime: 'SYS:HH:MM:ss.l',
    // Every line is Portico's; the name tells a terminal nothing.
    ignore: 'service',
    sync: true,
    ...(destination && { destination }),
  });
}

/**
 * Drizzle puts the bound parameters of a failed query into the error message; those can hold a
 * password hash or personal data, so only the SQL text and the driver's own message are kept.
 */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const withQuery = error as Error & { query?: string; cause?: unknown };
  if (typeof withQuery.query === 'string') {
    const cause = withQuery.cause as { message?: string; code?: string } | undefined;
    return {
      type: error.name,
      message: `query failed: ${cause?.message ?? 'unknown cause'}`,
      code: cause?.code,
      query: withQuery.query,
    };
  }
  return pino.stdSerializers.err(error);
}
