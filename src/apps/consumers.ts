import type { ConsumerEntry } from '../platform/context/context-catalogue.js';
import { GroupCommitLanes } from '../platform/db/group-commit.js';
import { CommandProcessor } from '../platform/messaging/command-processor.js';
import { parseEvent } from '../platform/messaging/event-envelope.js';
import { inDeliveryContext } from '../platform/messaging/message-context.js';
import { withRetryPolicy } from '../platform/messaging/retry-policy.js';
import type { Delivery } from '../platform/messaging/message.js';
import type { Subscription } from '../platform/messaging/transport.js';
import { meteredCommands } from '../platform/observability/metrics/bus-metrics.js';
import { projectionCheckpoints } from '../platform/observability/metrics/state-probes.js';
import { loggedCommands } from './bus-middleware.js';
import type { Runtime } from './runtime.js';

export interface ConsumerOptions {
  /** The worker role: each context's command queue. */
  readonly commands: boolean;
  /** The projector role: each context's event consumers (projections and reactions). */
  readonly events: boolean;
  /** Which event consumers to run (default: all): the mailer role runs the mail context's only. */
  readonly select?: (entry: ConsumerEntry) => boolean;
  /** Tells the relay that new events were committed in this process. */
  readonly onCommitted?: () => void;
}

/** Starts the consumers the manifests declare, one subscription per queue. */
export async function startConsumers(runtime: Runtime, options: ConsumerOptions): Promise<Subscription> {
  const subscriptions: Subscription[] = [];
  try {
    if (options.commands) subscriptions.push(...(await startCommandQueues(runtime, options.onCommitted)));
    if (options.events) {
      runtime.metrics.watchProjections(projectionCheckpoints(runtime.database));
      const selected = runtime.contexts.consumers.filter(options.select ?? (() => true));
      for (const entry of selected) subscriptions.push(await startEventConsumer(runtime, entry));
    }
  } catch (error) {
    await Promise.all(subscriptions.map((s) => s.stop()));
    throw error;
  }
  return { stop: async () => void (await Promise.all(subscriptions.map((s) => s.stop()))) };
}

async function startCommandQueues(runtime: Runtime, onCommitted?: () => void): Promise<Subscription[]> {
  const { contexts, transport, metrics, logger, config } = runtime;
  const operations = (type: string) => contexts.operationsMetricOf(type);
  const bus = contexts.commandBus(runtime, [meteredCommands(metrics, operations), loggedCommands(logger)]);
  // Commands on one aggregate share a lane (in order, never racing each other's version).
  const lanes = new GroupCommitLanes(runtime.database, config.workerConcurrency, COMMAND_BATCH);
  const processor = new CommandProcessor({
    database: runtime.database,
    commit: (delivery, work) => lanes.run(aggregateOf(delivery), work),
    inbox: runtime.inbox,
    statuses: runtime.statuses,
    bus,
    parse: (body) => contexts.parseCommand(body),
    ...(onCommitted && { onCommitted }),
  });
  const log = logger.child({ component: 'worker' });
  return Promise.all(
    contexts.topology.commandQueues.map((queue) => {
      metrics.watchQueues(transport, [queue]);
      // Every line logged while a command is handled carries correlationId, commandId and trace_id.
      const handle = withRetryPolicy(
        async (delivery) => {
          const outcome = await processor.process(delivery);
          log.debug({ command: delivery.type, outcome }, 'command processed');
        },
        log,
        { delaysMs: config.retryDelaysMs },
      );
      return transport.consume(queue, inDeliveryContext('command', handle), {
        concurrency: config.workerConcurrency * COMMAND_BATCH,
      });
    }),
  );
}

/**
 * One consumer per event queue. A reaction takes one message at a time, so per-aggregate order
 * holds. A projection takes many at once into a few lanes, an aggregate always in the same one;
 * a lane applies its events in arrival order, those that came while it was busy in one shared
 * transaction (group commit): the order per aggregate is the same, the commits far fewer.
 */
function startEventConsumer(runtime: Runtime, { context, definition }: ConsumerEntry): Promise<Subscription> {
  const { transport, metrics, clock } = runtime;
  const handler = definition.handler(runtime.contexts.workerOf(context, runtime));
  const lanes = definition.projection
    ? new GroupCommitLanes(runtime.database, PROJECTION_LANES, PROJECTION_BATCH)
    : null;
  const consume = lanes ? (delivery: Delivery) => lanes.run(aggregateOf(delivery), () => handler(delivery)) : handler;
  const log = runtime.logger.child({ component: definition.projection ? 'projector' : definition.queue });
  metrics.watchQueues(transport, [definition.queue]);
  const handle = withRetryPolicy(
    async (delivery) => {
      const outcome = await consume(delivery);
      if (outcome === 'applied' && definition.projection) {
        // The whole write path in one number: command handled, relayed, delivered, applied.
        const lagMs = clock.now().getTime() - Date.parse(parseEvent(delivery).occurredAt);
        metrics.projectionLag.set({ projection: definition.projection.name }, Math.max(0, lagMs) / 1000);
      }
      log.trace({ type: delivery.type, outcome }, definition.projection ? 'event projected' : 'event consumed');
    },
    log,
    { delaysMs: runtime.config.retryDelaysMs },
  );
  const concurrency = lanes ? PROJECTION_LANES * PROJECTION_BATCH : 1;
  return transport.consume(definition.queue, inDeliveryContext('event', handle), { concurrency });
}

/** Parallel transactions of a projection, and the most events one of them applies. */
const PROJECTION_LANES = 2;
const PROJECTION_BATCH = 32;
/** The most commands a worker's transaction runs (WORKER_CONCURRENCY transactions at once). */
const COMMAND_BATCH = 16;

const aggregateOf = (delivery: Delivery) => delivery.headers['aggregate-id'] ?? '';
