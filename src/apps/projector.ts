import { parseEvent } from '../platform/messaging/event-envelope.js';
import { inDeliveryContext } from '../platform/messaging/message-context.js';
import { withRetryPolicy } from '../platform/messaging/retry-policy.js';
import { Queues } from '../platform/messaging/topology.js';
import type { Subscription } from '../platform/messaging/transport.js';
import { projectionCheckpoints } from '../platform/observability/metrics/state-probes.js';
import { timed } from '../platform/observability/metrics/timed.js';
import {
  USER_VIEWS_PROJECTION,
  UserViewsProjector,
} from '../contexts/users/infrastructure/projection/user-views.projector.js';
import type { Runtime } from './runtime.js';

/** The projector role: one consumer per projection queue, so per-aggregate order holds. */
export async function startProjector(runtime: Runtime): Promise<Subscription> {
  const { metrics, clock } = runtime;
  const views = new UserViewsProjector(runtime.database, runtime.inbox);
  const projector = timed(metrics, 'read.user_views', views, ['handle']);
  const log = runtime.logger.child({ component: 'projector' });
  metrics.watchQueues(runtime.transport, [Queues.userViewsProjection]);
  metrics.watchProjections(projectionCheckpoints(runtime.database));
  return runtime.transport.consume(
    Queues.userViewsProjection,
    inDeliveryContext(
      'event',
      withRetryPolicy(
        async (delivery) => {
          const outcome = await projector.handle(delivery);
          if (outcome === 'applied') {
            // The whole write path in one number: command handled, relayed, delivered, applied.
            const lagMs = clock.now().getTime() - Date.parse(parseEvent(delivery).occurredAt);
            metrics.projectionLag.set({ projection: USER_VIEWS_PROJECTION }, Math.max(0, lagMs) / 1000);
          }
          log.trace({ type: delivery.type, outcome }, 'event projected');
        },
        log,
        { delaysMs: runtime.config.retryDelaysMs },
      ),
    ),
    { concurrency: 1 },
  );
}
