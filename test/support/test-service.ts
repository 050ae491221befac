import pino from 'pino';
import { startAll, type RunningService } from '../../src/apps/all.js';
import { createRuntime, type Runtime } from '../../src/apps/runtime.js';
import { loadConfig } from '../../src/apps/config/config.js';
import { createLogger } from '../../src/platform/logging/logger.js';
import type { AnyManifest } from '../../src/platform/context/context-catalogue.js';
import type { Clock } from '../../src/shared/application/ports/clock.js';
import type { Tracing } from '../../src/platform/observability/tracing/tracing.js';
import { createTestDatabase } from './postgres.js';
import { AMQP_URL, deleteTopology, uniquePrefix } from './rabbitmq.js';

export interface TestService {
  readonly url: string;
  readonly runtime: Runtime;
  /** An access token of the administrator the service bootstrapped at start. */
  readonly adminToken: string;
  stop(): Promise<void>;
}

export interface TestServiceOptions {
  /** Where log lines go (all levels), e.g. to scan them for secrets. */
  readonly logLines?: string[];
  /** Traces: SQL, messaging and HTTP spans go to this tracing (e.g. an in-memory exporter's). */
  readonly tracing?: Tracing;
  /** Contexts to run beside the service's own, as `apps/contexts.ts` would list them. */
  readonly extraContexts?: readonly AnyManifest[];
  /** The clock the contexts' rules read (e.g. a MovableClock), instead of the system's. */
  readonly clock?: Clock;
}

export const TEST_ADMIN = { email: 'root@example.com', password: 'portico-test-admin-secret' } as const;

/** `rabbitmq` is the production shape: PostgreSQL plus RabbitMQ. */
export type Engine = 'pglite' | 'postgres' | 'rabbitmq';

/**
 * The whole service (api + worker + relay + projector) in this process on a free port: PGlite in
 * memory, or a fresh database on the test PostgreSQL server. Nothing is faked.
 */
export async function startTestService(
  engine: Engine,
  env: Record<string, string> = {},
  options: TestServiceOptions = {},
): Promise<TestService> {
  const database = engine === 'pglite' ? null : await createTestDatabase();
  const amqpPrefix = engine === 'rabbitmq' ? uniquePrefix() : null;
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    HASH_CONCURRENCY: '2',
    ...(database && { DATABASE_URL: database.url }),
    ...(amqpPrefix && { AMQP_URL }),
    PORTICO_ADMIN_EMAIL: TEST_ADMIN.email,
    PORTICO_ADMIN_PASSWORD: TEST_ADMIN.password,
    ...env,
  });
  const logger = options.logLines
    ? createLogger({
        level: 'trace',
        pretty: false,
        destination: { write: (line: string) => void options.logLines!.push(line) },
      })
    : pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const runtime = await createRuntime({ ...config, dataDir: env.DATA_DIR ?? '' }, logger, {
    migrate: true,
    ...(amqpPrefix && { amqp: { prefix: amqpPrefix } }),
    ...(options.tracing && { tracing: options.tracing }),
    ...(options.extraContexts && { extraContexts: options.extraContexts }),
    ...(options.clock && { clock: options.clock }),
  });
  let service: RunningService;
  try {
    service = await startAll(runtime);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  return {
    url: service.url,
    runtime,
    adminToken: (await login(service.url, TEST_ADMIN.email, TEST_ADMIN.password)).accessToken,
    stop: async () => {
      await service.stop();
      await runtime.close();
      await database?.drop();
      if (amqpPrefix) await deleteTopology(amqpPrefix);
    },
  };
}

/** A valid create-user body; `n` keeps emails and usernames unique within a test. */
export function newUserBody(n: number | string, overrides: Record<string, unknown> = {}) {
  return {
    email: `person${n}@example.com`,
    username: `person${n}`,
    firstName: 'Grace',
    lastName: 'Hopper',
    password: 'compiler-pioneer-1952',
    ...overrides,
  };
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  refreshExpiresIn: number;
  tokenType: 'Bearer';
}

export async function login(url: string, email: string, password: string): Promise<Tokens> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Tokens;
}
