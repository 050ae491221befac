import type { Clock } from '../shared/application/ports/clock.js';
import type { IdGenerator } from '../shared/application/ports/id-generator.js';
import type { Config } from './config/config.js';
import { Database } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import type { Logger } from '../platform/logging/logger.js';
import { AmqpTransport, type AmqpTransportOptions } from '../platform/messaging/amqp-transport.js';
import { CommandStatusStore } from '../platform/messaging/command-status-store.js';
import { EmbeddedTransport } from '../platform/messaging/embedded-transport.js';
import { IdempotencyStore } from '../platform/messaging/idempotency-store.js';
import { Inbox } from '../platform/messaging/inbox.js';
import { PostgresEventOutbox } from '../platform/messaging/postgres-event-outbox.js';
import type { MessageTransport } from '../platform/messaging/transport.js';
import { MeteredTransport } from '../platform/observability/metrics/metered-transport.js';
import { Metrics } from '../platform/observability/metrics/metrics.js';
import { timed } from '../platform/observability/metrics/timed.js';
import { TracedTransport } from '../platform/observability/tracing/traced-transport.js';
import { tracedSqlClient } from '../platform/observability/tracing/traced-sql.js';
import type { Tracing } from '../platform/observability/tracing/tracing.js';
import { SystemClock } from '../platform/system/system-clock.js';
import { UuidV7Generator } from '../platform/system/uuid-v7-generator.js';

/** The infrastructure every role shares, built once per process. */
export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly transport: MessageTransport;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly statuses: CommandStatusStore;
  readonly idempotency: IdempotencyStore;
  readonly inbox: Inbox;
  readonly outbox: PostgresEventOutbox;
  /** This process's metrics: one registry shared by every role running here. */
  readonly metrics: Metrics;
  /** Present when tracing is on: the API adds its HTTP plugin. */
  readonly tracing?: Tracing;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Apply migrations before anything else (embedded start, `portico start`). */
  readonly migrate: boolean;
  /** RabbitMQ options (tests give each run its own name prefix). */
  readonly amqp?: AmqpTransportOptions;
  /** Traces (OTEL_EXPORTER_OTLP_ENDPOINT, or a test's exporter): SQL and messaging get spans. */
  readonly tracing?: Tracing;
}

export async function createRuntime(config: Config, logger: Logger, options: RuntimeOptions): Promise<Runtime> {
  const { tracing } = options;
  const wrapClient = tracing && (<C extends object>(client: C): C => tracedSqlClient(client, tracing.tracer));
  const database = config.databaseUrl
    ? Database.postgres(config.databaseUrl, { poolSize: config.dbPoolSize, ...(wrapClient && { wrapClient }) })
    : await Database.pglite(config.dataDir, { ...(wrapClient && { wrapClient }) });
  logger.info(
    { database: database.kind, ...(database.kind === 'pglite' && { dataDir: config.dataDir }) },
    'database opened',
  );
  if (options.migrate) {
    await migrate(database);
    logger.info('migrations applied');
  }
  const metrics = new Metrics();
  const metered: MessageTransport = new MeteredTransport(
    config.amqpUrl
      ? new AmqpTransport(config.amqpUrl, logger.child({ component: 'rabbitmq' }), options.amqp)
      : timed(
          metrics,
          'messaging.queue_messages',
          new EmbeddedTransport(database, logger.child({ component: 'queue' }), {
            // PGlite is reachable from this process only, so any lease left is from a process that died.
            releaseLeasesOnStart: database.kind === 'pglite',
          }),
          ['send', 'publish', 'depth'],
        ),
    metrics,
  );
  const transport = tracing ? new TracedTransport(metered, tracing.tracer) : metered;
  try {
    await transport.start();
  } catch (error) {
    await database.close();
    throw error;
  }
  logger.info({ transport: transport.name }, 'transport started');
  const idempotency = new IdempotencyStore(database);
  if (database.kind === 'pglite' && transport.transactional) {
    // Like the queue's leases: in PGlite, a reservation still open at start is a dead process's.
    const released = await idempotency.releaseAllUnanswered();
    if (released > 0) logger.info({ released }, 'idempotency keys of a stopped process released');
  }
  const ids = new UuidV7Generator();
  return {
    config,
    logger,
    database,
    transport,
    clock: new SystemClock(),
    ids,
    statuses: timed(metrics, 'messaging.command_status', new CommandStatusStore(database)),
    idempotency: timed(metrics, 'messaging.idempotency_keys', idempotency),
    inbox: timed(metrics, 'messaging.inbox', new Inbox(database)),
    outbox: timed(metrics, 'messaging.outbox', new PostgresEventOutbox(database, ids)),
    metrics,
    ...(tracing && { tracing }),
    close: async () => {
      await transport.close();
      await database.close();
    },
  };
}
