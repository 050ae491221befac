import { withRetryPolicy } from '../shared/infrastructure/messaging/retry-policy.js';
import { Queues } from '../shared/infrastructure/messaging/topology.js';
import type { Subscription } from '../shared/infrastructure/messaging/transport.js';
import { UserViewsProjector } from '../contexts/users/infrastructure/projection/user-views.projector.js';
import type { Runtime } from './runtime.js';

/** The projector role: one consumer per projection queue, so per-aggregate order holds. */
export async function startProjector(runtime: Runtime): Promise<Subscription> {
  const projector = new UserViewsProjector(runtime.database, runtime.inbox);
  const log = runtime.logger.child({ component: 'projector' });
  return runtime.transport.consume(
    Queues.userViewsProjection,
    withRetryPolicy(async (delivery) => {
      const outcome = await projector.handle(delivery);
      log.trace({ eventId: delivery.messageId, type: delivery.type, outcome }, 'event projected');
    }, log),
    { concurrency: 1 },
  );
}
