import { availableParallelism } from 'node:os';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly amqpUrl: string | null;
  readonly logLevel: string;
  readonly prettyLogs: boolean;
  readonly workerConcurrency: number;
  readonly hashConcurrency: number;
  readonly dbPoolSize: number;
  readonly publicUrl: string | null;
  /** Waits before each retry of a transiently failing message; after the last, its DLQ. */
  readonly retryDelaysMs: readonly number[];
  /** Where worker, relay and projector serve /metrics when run alone; the API serves it on `port`. */
  readonly metricsPort: number;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly loginsPerIpPerMinute: number;
  readonly registrationsPerIpPerHour: number;
  readonly lockoutThreshold: number;
  readonly adminEmail: string | null;
  readonly adminPassword: string | null;
  /** Fastify's `trustProxy`: whose X-Forwarded-For gives the client address (per-IP limits). */
  readonly trustProxy: boolean | number | string;
  /** OTLP/HTTP collector base URL (`/v1/traces` is appended); null: tracing off, no SDK loaded. */
  readonly otelEndpoint: string | null;
  /** `service.name` of the spans this process exports. */
  readonly otelServiceName: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Every variable, its default and its meaning; the README's configuration table mirrors this. */
export const CONFIG_VARIABLES = {
  PORT: { default: '3000', meaning: 'port the API listens on' },
  HOST: { default: '127.0.0.1', meaning: 'address the API listens on (0.0.0.0 in containers)' },
  DATA_DIR: { default: '.data', meaning: 'embedded database directory, used when DATABASE_URL is unset' },
  DATABASE_URL: { default: '', meaning: 'PostgreSQL connection string; unset: embedded PGlite' },
  AMQP_URL: { default: '', meaning: 'RabbitMQ URL; unset: the built-in durable queue' },
  LOG_LEVEL: { default: 'info', meaning: 'fatal, error, warn, info, debug, trace or silent' },
  NODE_ENV: { default: 'production', meaning: '`development` turns on pretty logs' },
  WORKER_CONCURRENCY: { default: '4', meaning: 'commands a worker processes at once' },
  HASH_CONCURRENCY: { default: 'CPU cores', meaning: 'argon2 hashes computed at once by the API' },
  DB_POOL_SIZE: { default: '10', meaning: 'PostgreSQL connections per process' },
  PUBLIC_URL: { default: 'http://HOST:PORT', meaning: 'URL the service is reached at (logged and put in /docs)' },
  RETRY_DELAYS: {
    default: '5s,30s,5m',
    meaning: 'waits before each retry of a failing message, then its DLQ (RabbitMQ rounds up to 1s, 5s, 30s, 5m)',
  },
  METRICS_PORT: {
    default: '9464',
    meaning: 'port of /metrics for worker, relay, projector run alone (0: any free port); the API uses PORT',
  },
  JWT_ISSUER: { default: 'PUBLIC_URL', meaning: '`iss` of access tokens, checked on every request' },
  JWT_AUDIENCE: { default: 'portico', meaning: '`aud` of access tokens, checked on every request' },
  ACCESS_TOKEN_TTL_SECONDS: { default: '900', meaning: 'access token lifetime' },
  REFRESH_TOKEN_TTL_SECONDS: { default: '2592000', meaning: 'session (refresh token family) lifetime' },
  RATE_LIMIT_LOGIN_PER_IP: { default: '60', meaning: 'login attempts per IP per minute' },
  RATE_LIMIT_REGISTER_PER_IP: { default: '20', meaning: 'registrations per IP per hour' },
  LOCKOUT_THRESHOLD: { default: '5', meaning: 'failed logins per email before exponential lockout (30 s, doubling)' },
  PORTICO_ADMIN_EMAIL: { default: '', meaning: 'bootstrap admin created at start when no admin exists' },
  PORTICO_ADMIN_PASSWORD: { default: '', meaning: 'password of that bootstrap admin' },
  TRUST_PROXY: {
    default: 'false',
    meaning: 'behind a reverse proxy: `true`, a hop count, or its addresses/CIDRs, so per-IP limits see clients',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    default: '',
    meaning: 'OTLP/HTTP collector URL (e.g. http://127.0.0.1:4318); set: traces are exported, unset: tracing is off',
  },
  OTEL_SERVICE_NAME: { default: 'portico', meaning: '`service.name` of the exported spans' },
} as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and checks the environment once, at start, and reports every problem together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const text = (name: string, fallback: string): string => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? fallback : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, protocols: readonly string[]): string | null => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return null;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const durations = (name: string, fallback: readonly number[]): readonly number[] => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000 };
    const values = raw.split(',').map((part) => {
      const match = /^(\d+)(ms|s|m)$/.exec(part.trim());
      return match ? Number(match[1]) * units[match[2]!]! : Number.NaN;
    });
    if (values.length > 10 || values.some((v) => !Number.isFinite(v) || v < 1 || v > 3_600_000)) {
      problems.push(`${name} must be 1 to 10 durations up to 60m, like "5s,30s,5m", got "${raw}"`);
      return fallback;
    }
    return values;
  };

  const logLevel = text('LOG_LEVEL', 'info');
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const amqpUrl = url('AMQP_URL', ['amqp:', 'amqps:']);
  const port = integer('PORT', 3000, 0, 65_535);
  const host = text('HOST', '127.0.0.1');
  const publicUrl = url('PUBLIC_URL', ['http:', 'https:']);
  const config: Config = {
    port,
    host,
    dataDir: text('DATA_DIR', '.data'),
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    amqpUrl,
    logLevel,
    prettyLogs: text('NODE_ENV', 'production') === 'development',
    workerConcurrency: integer('WORKER_CONCURRENCY', 4, 1, 256),
    hashConcurrency: integer('HASH_CONCURRENCY', availableParallelism(), 1, 256),
    dbPoolSize: integer('DB_POOL_SIZE', 10, 1, 1_000),
    publicUrl,
    retryDelaysMs: durations('RETRY_DELAYS', [5_000, 30_000, 300_000]),
    metricsPort: integer('METRICS_PORT', 9464, 0, 65_535),
    jwtIssuer: text('JWT_ISSUER', publicUrl ?? `http://${host}:${port}`),
    jwtAudience: text('JWT_AUDIENCE', 'portico'),
    accessTokenTtlSeconds: integer('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
    refreshTokenTtlSeconds: integer('REFRESH_TOKEN_TTL_SECONDS', 2_592_000, 60, 31_536_000),
    loginsPerIpPerMinute: integer('RATE_LIMIT_LOGIN_PER_IP', 60, 1, 1_000_000),
    registrationsPerIpPerHour: integer('RATE_LIMIT_REGISTER_PER_IP', 20, 1, 1_000_000),
    lockoutThreshold: integer('LOCKOUT_THRESHOLD', 5, 1, 1_000),
    adminEmail: env.PORTICO_ADMIN_EMAIL?.trim() || null,
    adminPassword: env.PORTICO_ADMIN_PASSWORD || null,
    trustProxy: parseTrustProxy(text('TRUST_PROXY', 'false')),
    otelEndpoint: url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']),
    otelServiceName: text('OTEL_SERVICE_NAME', 'portico'),
  };
  if ((config.adminEmail === null) !== (config.adminPassword === null)) {
    problems.push('PORTICO_ADMIN_EMAIL and PORTICO_ADMIN_PASSWORD must be set together');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
