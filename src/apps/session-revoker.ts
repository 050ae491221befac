import { buildSessionRevoker } from '../contexts/auth/infrastructure/auth.module.js';
import { UserEventsSubscriber } from '../contexts/auth/infrastructure/messaging/user-events.subscriber.js';
import { inDeliveryContext } from '../platform/messaging/message-context.js';
import { withRetryPolicy } from '../platform/messaging/retry-policy.js';
import { Queues } from '../platform/messaging/topology.js';
import type { Subscription } from '../platform/messaging/transport.js';
import type { Runtime } from './runtime.js';

/** Auth's event consumer (runs with the projector role): deactivated or deleted users lose their sessions. */
export function startSessionRevoker(runtime: Runtime): Promise<Subscription> {
  const subscriber = new UserEventsSubscriber(
    runtime.database,
    runtime.inbox,
    buildSessionRevoker(runtime.database, runtime.outbox, runtime.clock),
  );
  const log = runtime.logger.child({ component: 'session-revoker' });
  runtime.metrics.watchQueues(runtime.transport, [Queues.authUserEvents]);
  return runtime.transport.consume(
    Queues.authUserEvents,
    inDeliveryContext(
      'event',
      withRetryPolicy(
        async (delivery) => {
          const revoked = await subscriber.handle(delivery);
          if (revoked.length > 0) log.info({ revoked: revoked.length }, 'sessions revoked');
        },
        log,
        { delaysMs: runtime.config.retryDelaysMs },
      ),
    ),
    { concurrency: 1 },
  );
}
