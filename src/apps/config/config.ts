import { availableParallelism } from 'node:os';
import {
  durations,
  flag,
  integer,
  oneOf,
  origins,
  secret,
  text,
  unset,
  url,
  VariableTable,
  type Values,
} from '../../platform/config/variables.js';
import {
  DEFAULT_SIGNING_ALGORITHM,
  SIGNING_ALGORITHMS,
} from '../../contexts/auth/infrastructure/tokens/signing-algorithm.js';
import { withMailVariables } from './mail-variables.js';
import { logFormat, trustProxy } from './parsers.js';
import { withWebAuthnVariables } from './webauthn-variables.js';

export { ConfigError } from '../../platform/config/variables.js';

/**
 * Every variable Portico reads, in the order it reads them: the field it fills, its parser, its
 * default and its meaning. `Config`, `loadConfig`, `portico --help` and the README's configuration
 * table (checked by test/docs) all come from here; adding a variable is one entry.
 */
const CORE_TABLE = VariableTable.create()
  .add('port', { env: 'PORT', parser: integer(0, 65_535), default: '3000', doc: 'port the API listens on' })
  .add('host', {
    env: 'HOST',
    parser: text(),
    default: '127.0.0.1',
    doc: 'address the API listens on (0.0.0.0 in containers)',
  })
  .add('dataDir', {
    env: 'DATA_DIR',
    parser: text(),
    default: '.data',
    doc: 'embedded database directory, used when DATABASE_URL is unset',
  })
  .add('databaseUrl', {
    env: 'DATABASE_URL',
    parser: url('postgres:', 'postgresql:'),
    default: unset,
    doc: 'PostgreSQL connection string; unset: embedded PGlite',
  })
  .add('amqpUrl', {
    env: 'AMQP_URL',
    parser: url('amqp:', 'amqps:'),
    default: unset,
    doc: 'RabbitMQ URL; unset: the built-in durable queue',
  })
  .add('logLevel', {
    env: 'LOG_LEVEL',
    parser: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    default: 'info',
    doc: 'fatal, error, warn, info, debug, trace or silent',
  })
  .add('nodeEnv', {
    env: 'NODE_ENV',
    parser: text(),
    default: unset,
    doc: '`production`: JSON logs even on a terminal; `development`: readable logs even when piped',
  })
  // Readable lines for a person at a terminal, one JSON object per line for a log collector.
  .add('prettyLogs', {
    env: 'LOG_FORMAT',
    parser: logFormat,
    default: {
      shown: 'pretty on a terminal, else json',
      from: (c) => (c.nodeEnv === 'production' ? false : c.nodeEnv === 'development' || process.stdout.isTTY === true),
    },
    doc: '`pretty`: readable lines; `json`: one object per line, for a log collector',
  })
  .add('workerConcurrency', {
    env: 'WORKER_CONCURRENCY',
    parser: integer(1, 256),
    default: '4',
    doc: 'transactions a worker runs at once; commands that arrive meanwhile share the next one (group commit, up to 16 each)',
  })
  .add('hashConcurrency', {
    env: 'HASH_CONCURRENCY',
    parser: integer(1, 256),
    default: { shown: 'CPU cores', from: () => availableParallelism() },
    doc: 'argon2 hashes computed at once by the API',
  })
  .add('dbPoolSize', {
    env: 'DB_POOL_SIZE',
    parser: integer(1, 1_000),
    default: '10',
    doc: 'PostgreSQL connections per process',
  })
  .add('dbNamedStatements', {
    env: 'DB_NAMED_STATEMENTS',
    parser: flag(),
    default: 'true',
    doc: '`true`: statements are prepared once and then run by name (PostgreSQL: once per connection; embedded: inside transactions); `false` behind a pooler in transaction mode that cannot keep prepared statements (PgBouncer before 1.21)',
  })
  // Unset stays null: the API takes its own address once it listens (PORT may be 0, any free port).
  .add('publicUrl', {
    env: 'PUBLIC_URL',
    parser: url('http:', 'https:'),
    default: { shown: 'http://HOST:PORT', from: () => null },
    doc: 'URL the service is reached at (logged and put in /docs)',
  })
  // Waits before each retry of a transiently failing message; after the last, its DLQ.
  .add('retryDelaysMs', {
    env: 'RETRY_DELAYS',
    parser: durations(10, '60m'),
    default: '5s,30s,5m',
    doc: 'waits before each retry of a failing message, then its DLQ (RabbitMQ rounds up to 1s, 5s, 30s, 5m)',
  })
  .add('admissionBacklogSeconds', {
    env: 'ADMISSION_BACKLOG_SECONDS',
    parser: integer(0, 3_600),
    // 1, not 2: the last command admitted waits this long for a worker, then relay and projector
    // add theirs; DESIGN.md's "visible within 2 s" leaves room for that only below 2.
    default: '1',
    doc: 'refuse new commands (503 + Retry-After) past a backlog the workers need longer than this to finish; 0: never',
  })
  .add('admissionMinBacklog', {
    env: 'ADMISSION_MIN_BACKLOG',
    parser: integer(1, 1_000_000),
    default: '50',
    doc: 'commands that may always wait, however slow the workers were lately',
  })
  // Where worker, relay and projector serve /metrics when run alone; the API serves it on `port`.
  .add('metricsPort', {
    env: 'METRICS_PORT',
    parser: integer(0, 65_535),
    default: '9464',
    doc: 'port of /metrics for worker, relay, projector run alone (0: any free port); the API uses PORT',
  })
  .add('jwtIssuer', {
    env: 'JWT_ISSUER',
    parser: text(),
    default: { shown: 'PUBLIC_URL', from: (c) => c.publicUrl ?? `http://${c.host}:${c.port}` },
    doc: '`iss` of access tokens, checked on every request',
  })
  .add('jwtAudience', {
    env: 'JWT_AUDIENCE',
    parser: text(),
    default: 'portico',
    doc: '`aud` of access tokens, checked on every request',
  })
  .add('jwtAlgorithm', {
    env: 'JWT_ALGORITHM',
    parser: oneOf(...SIGNING_ALGORITHMS),
    default: DEFAULT_SIGNING_ALGORITHM,
    doc: 'algorithm of new access-token signing keys: RS256 (every JWT library verifies it), ES256 or EdDSA; a change makes a new key at start',
  })
  .add('accessTokenTtlSeconds', {
    env: 'ACCESS_TOKEN_TTL_SECONDS',
    parser: integer(30, 86_400),
    default: '900',
    doc: 'access token lifetime',
  })
  .add('revocationPollMs', {
    env: 'REVOCATION_POLL_MS',
    parser: integer(20, 10_000),
    default: '250',
    doc: 'how often each API process reads revoked sessions; an answer that revokes waits until every process has read it',
  })
  .add('refreshTokenTtlSeconds', {
    env: 'REFRESH_TOKEN_TTL_SECONDS',
    parser: integer(60, 31_536_000),
    default: '2592000',
    doc: 'session (refresh token family) lifetime',
  })
  .add('loginsPerIpPerMinute', {
    env: 'RATE_LIMIT_LOGIN_PER_IP',
    parser: integer(1, 1_000_000),
    default: '60',
    doc: 'login attempts per IP per minute',
  })
  .add('registrationsPerIpPerHour', {
    env: 'RATE_LIMIT_REGISTER_PER_IP',
    parser: integer(1, 1_000_000),
    default: '20',
    doc: 'registrations per IP per hour',
  })
  .add('lockoutThreshold', {
    env: 'LOCKOUT_THRESHOLD',
    parser: integer(1, 1_000),
    default: '5',
    doc: 'failed logins per email before exponential lockout (30 s, doubling)',
  })
  .add('adminEmail', {
    env: 'PORTICO_ADMIN_EMAIL',
    parser: text(),
    default: unset,
    doc: 'bootstrap admin created at start when no admin exists',
  })
  .add('adminPassword', {
    env: 'PORTICO_ADMIN_PASSWORD',
    parser: secret(),
    default: unset,
    doc: 'password of that bootstrap admin',
  })
  .add('corsOrigins', {
    env: 'CORS_ORIGINS',
    parser: origins(),
    default: { shown: 'unset', from: () => [] as readonly string[] },
    doc: 'browser origins allowed to call the API (comma-separated, exact); unset: no CORS',
  })
  // Whose X-Forwarded-For gives the client address (per-IP limits).
  .add('trustProxy', {
    env: 'TRUST_PROXY',
    parser: trustProxy,
    default: 'false',
    doc: 'behind a reverse proxy: `true`, a hop count, or its addresses/CIDRs, so per-IP limits see clients',
  })
  // OTLP/HTTP collector base URL (`/v1/traces` is appended); null: tracing off, no SDK loaded.
  .add('otelEndpoint', {
    env: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    parser: url('http:', 'https:'),
    default: unset,
    doc: 'OTLP/HTTP collector URL (e.g. http://127.0.0.1:4318); set: traces are exported, unset: tracing is off',
  })
  // `service.name` of the spans this process exports.
  .add('otelServiceName', {
    env: 'OTEL_SERVICE_NAME',
    parser: text(),
    default: 'portico',
    doc: '`service.name` of the exported spans',
  });

/** The core variables above, then mail's and the sealing keys' (./mail-variables.ts), then passkeys' (./webauthn-variables.ts). */
export const CONFIG_TABLE = withWebAuthnVariables(withMailVariables(CORE_TABLE)).check((c) =>
  (c.adminEmail === null) !== (c.adminPassword === null)
    ? 'PORTICO_ADMIN_EMAIL and PORTICO_ADMIN_PASSWORD must be set together'
    : null,
);

export type Config = Values<typeof CONFIG_TABLE>;

/** Reads and checks the environment once, at start, and reports every problem together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return CONFIG_TABLE.read(env);
}
