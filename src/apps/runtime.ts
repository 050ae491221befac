import type { Config } from './config/config.js';
import type { Database } from '../platform/db/database.js';
import { openDatabase as openConfiguredDatabase } from './database-startup.js';
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
import { instrumentWith, timed } from '../platform/observability/metrics/timed.js';
import { meteredQueries } from '../platform/observability/metrics/bus-metrics.js';
import { timedQueries } from './bus-middleware.js';
import { QueryBus } from '../shared/application/query-bus.js';
import { PasswordPolicy } from '../shared/domain/password-policy.js';
import type { PlatformServices } from '../platform/context/platform-services.js';
import type { AnyManifest, ContextCatalogue } from '../platform/context/context-catalogue.js';
import { DeferredAccessPolicy } from '../platform/http/access-policy.js';
import { CommandResponder } from '../platform/http/command-responder.js';
import { ProgressNotices } from '../platform/messaging/progress-notices.js';
import { AdmissionControl } from '../platform/messaging/admission-control.js';
import { CommandGateway } from '../platform/messaging/command-gateway.js';
import { PostgresRateLimiter } from '../platform/db/postgres-rate-limiter.js';
import { sealerFor } from './sealing.js';
import { Argon2PasswordHasher } from '../platform/system/argon2-password-hasher.js';
import { ZxcvbnCommonPasswordList } from '../platform/system/common-password-list.js';
import { contextsFor } from './contexts.js';
import { TracedTransport } from '../platform/observability/tracing/traced-transport.js';
import { tracedSqlClient } from '../platform/observability/tracing/traced-sql.js';
import type { Tracing } from '../platform/observability/tracing/tracing.js';
import { SystemClock } from '../platform/system/system-clock.js';
import type { Clock } from '../shared/application/ports/clock.js';
import { UuidV7Generator } from '../platform/system/uuid-v7-generator.js';

/** The infrastructure every role shares, built once per process, and the contexts that run on it. */
export interface Runtime extends PlatformServices {
  readonly config: Config;
  readonly contexts: ContextCatalogue;
  readonly idempotency: IdempotencyStore;
  /** Bound by the API role to the policy the authenticating context provides. */
  readonly access: DeferredAccessPolicy;
  /** Present when tracing is on: the API adds its HTTP plugin. */
  readonly tracing?: Tracing;
  /** Refuses commands past the backlog the workers can clear soon; the API role starts it. */
  readonly admission: AdmissionControl;
  /** Wakes `Prefer: wait` requests as the database announces progress; the API role listens for it. */
  readonly notices: ProgressNotices;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Apply migrations before anything else (embedded start, `portico start`). */
  readonly migrate: boolean;
  /** Already open (and migrated as asked): the CLI opens it while the rest of the code loads. */
  readonly database?: Database;
  /** RabbitMQ options (tests give each run its own name prefix). */
  readonly amqp?: AmqpTransportOptions;
  /** Traces (OTEL_EXPORTER_OTLP_ENDPOINT, or a test's exporter): SQL and messaging get spans. */
  readonly tracing?: Tracing;
  /** Contexts to run beside the service's own (a test's example context). */
  readonly extraContexts?: readonly AnyManifest[];
  /** The clock of the contexts' rules (a test moves it to age a sign-in); the system's by default. */
  readonly clock?: Clock;
}

export async function createRuntime(config: Config, logger: Logger, options: RuntimeOptions): Promise<Runtime> {
  const { tracing } = options;
  const database = options.database ?? (await openDatabase(config, logger, options));
  const contexts = contextsFor(config, options.extraContexts);
  const metrics = new Metrics();
  metrics.watchConnections(() => database.connectionsInUse());
  const transport = await startTransport(config, logger, database, metrics, contexts, options);
  const idempotency = new IdempotencyStore(database);
  if (database.kind === 'pglite' && transport.transactional) {
    // Like the queue's leases: in PGlite, a reservation still open at start is a dead process's.
    const released = await idempotency.releaseAllUnanswered();
    if (released > 0) logger.info({ released }, 'idempotency keys of a stopped process released');
  }
  const ids = new UuidV7Generator();
  const notices = new ProgressNotices();
  const statuses = timed(metrics, 'messaging.command_status', new CommandStatusStore(database, notices));
  const timedIdempotency = timed(metrics, 'messaging.idempotency_keys', idempotency);
  const admission = new AdmissionControl(
    statuses,
    { backlogSeconds: config.admissionBacklogSeconds, minBacklog: config.admissionMinBacklog, sampleMs: 250 },
    metrics.registry,
    logger,
  );
  const gateway = new CommandGateway(database, transport, statuses, contexts.topology, logger, admission);
  const outbox = new PostgresEventOutbox(database, ids);
  const runtime: Runtime = {
    config,
    contexts,
    logger,
    database,
    transport,
    ...securityServices(config, database),
    clock: options.clock ?? new SystemClock(),
    ids,
    statuses,
    idempotency: timedIdempotency,
    inbox: timed(metrics, 'messaging.inbox', new Inbox(database)),
    outbox: timed(metrics, 'messaging.outbox', outbox),
    gateway,
    admission,
    notices,
    responder: new CommandResponder(gateway, statuses, timedIdempotency, ids, contexts.problems, notices),
    access: new DeferredAccessPolicy(),
    sealer: sealerFor(config, logger),
    metrics,
    instrument: instrumentWith(metrics),
    queries: () =>
      new QueryBus([meteredQueries(metrics, (type) => contexts.operationsMetricOf(type)), timedQueries(logger)]),
    ...(tracing && { tracing }),
    close: async () => {
      await transport.close();
      await database.close();
    },
  };
  outbox.reactWith(contexts.reactionsIn(runtime));
  return runtime;
}

/** Hashing, the password rules and the rate limits every role's contexts share. */
function securityServices(config: Config, database: Database) {
  return {
    hasher: new Argon2PasswordHasher(config.hashConcurrency),
    passwordPolicy: new PasswordPolicy(new ZxcvbnCommonPasswordList()),
    limiter: new PostgresRateLimiter(database),
  };
}

function openDatabase(config: Config, logger: Logger, options: RuntimeOptions): Promise<Database> {
  const { tracing } = options;
  const wrapClient = tracing && (<C extends object>(client: C): C => tracedSqlClient(client, tracing.tracer));
  return openConfiguredDatabase(config, logger, { migrate: options.migrate, ...(wrapClient && { wrapClient }) });
}

/** RabbitMQ when AMQP_URL is set, else the queue in the database; metered, and traced when tracing is on. */
async function startTransport(
  config: Config,
  logger: Logger,
  database: Database,
  metrics: Metrics,
  contexts: ContextCatalogue,
  options: RuntimeOptions,
): Promise<MessageTransport> {
  const metered: MessageTransport = new MeteredTransport(
    config.amqpUrl
      ? new AmqpTransport(config.amqpUrl, logger.child({ component: 'rabbitmq' }), contexts.topology, options.amqp)
      : timed(
          metrics,
          'messaging.queue_messages',
          new EmbeddedTransport(database, logger.child({ component: 'queue' }), contexts.topology, {
            // PGlite is reachable from this process only, so any lease left is from a process that died.
            releaseLeasesOnStart: database.kind === 'pglite',
          }),
          ['send', 'publish', 'depth'],
        ),
    metrics,
  );
  const transport = options.tracing ? new TracedTransport(metered, options.tracing.tracer) : metered;
  try {
    await transport.start();
  } catch (error) {
    await database.close();
    throw error;
  }
  logger.info({ transport: transport.name }, 'transport started');
  return transport;
}
