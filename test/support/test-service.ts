import pino from 'pino';
import { startAll, type RunningService } from '../../src/apps/all.js';
import { createRuntime, type Runtime } from '../../src/apps/runtime.js';
import { loadConfig } from '../../src/shared/infrastructure/config/config.js';
import { createTestDatabase } from './postgres.js';
import { AMQP_URL, deleteTopology, uniquePrefix } from './rabbitmq.js';

export interface TestService {
  readonly url: string;
  readonly runtime: Runtime;
  stop(): Promise<void>;
}

/** `rabbitmq` is the production shape: PostgreSQL plus RabbitMQ. */
export type Engine = 'pglite' | 'postgres' | 'rabbitmq';

/**
 * The whole service (api + worker + relay + projector) in this process on a free port: PGlite in
 * memory, or a fresh database on the test PostgreSQL server. Nothing is faked.
 */
export async function startTestService(engine: Engine, env: Record<string, string> = {}): Promise<TestService> {
  const database = engine === 'pglite' ? null : await createTestDatabase();
  const amqpPrefix = engine === 'rabbitmq' ? uniquePrefix() : null;
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    HASH_CONCURRENCY: '2',
    ...(database && { DATABASE_URL: database.url }),
    ...(amqpPrefix && { AMQP_URL }),
    ...env,
  });
  const logger = pino({ level: 'silent' });
  const runtime = await createRuntime({ ...config, dataDir: env.DATA_DIR ?? '' }, logger, {
    migrate: true,
    ...(amqpPrefix && { amqp: { prefix: amqpPrefix } }),
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
