import { CommandBus } from '../shared/application/command-bus.js';
import { CommandProcessor } from '../platform/messaging/command-processor.js';
import { inDeliveryContext } from '../platform/messaging/message-context.js';
import { withRetryPolicy } from '../platform/messaging/retry-policy.js';
import { Queues } from '../platform/messaging/topology.js';
import type { Subscription } from '../platform/messaging/transport.js';
import { meteredCommands } from '../platform/observability/metrics/bus-metrics.js';
import { instrumentWith } from '../platform/observability/metrics/timed.js';
import { ConcurrentModificationError } from '../contexts/users/domain/user-repository.js';
import { parseUserCommand } from '../contexts/users/infrastructure/messaging/user-command-schemas.js';
import { registerUsersCommands } from '../contexts/users/infrastructure/users.module.js';
import { loggedCommands } from './bus-middleware.js';
import type { Runtime } from './runtime.js';

/** The worker role: applies commands from `users.commands`, one transaction each. */
export async function startWorker(runtime: Runtime, onCommitted?: () => void): Promise<Subscription> {
  const { database, transport, logger, inbox, statuses, outbox, clock, metrics } = runtime;
  const bus = new CommandBus([meteredCommands(metrics), loggedCommands(logger)]);
  registerUsersCommands(bus, database, outbox, clock, instrumentWith(metrics));
  metrics.watchQueues(transport, [Queues.userCommands]);
  const processor = new CommandProcessor({
    database,
    inbox,
    statuses,
    bus,
    parse: parseUserCommand,
    isConflict: (error) => error instanceof ConcurrentModificationError,
    ...(onCommitted && { onCommitted }),
  });
  const log = logger.child({ component: 'worker' });
  return transport.consume(
    Queues.userCommands,
    // Every line logged while a command is handled carries correlationId, commandId and trace_id.
    inDeliveryContext(
      'command',
      withRetryPolicy(
        async (delivery) => {
          const outcome = await processor.process(delivery);
          log.debug({ command: delivery.type, outcome }, 'command processed');
        },
        log,
        { delaysMs: runtime.config.retryDelaysMs },
      ),
    ),
    { concurrency: runtime.config.workerConcurrency },
  );
}
