import { OutboxRelay } from '../shared/infrastructure/messaging/outbox-relay.js';
import type { Runtime } from './runtime.js';

/** The relay role: publishes committed outbox rows in commit order. */
export function startRelay(runtime: Runtime): OutboxRelay {
  const relay = new OutboxRelay(runtime.database, runtime.transport, runtime.logger.child({ component: 'relay' }));
  relay.start();
  return relay;
}
