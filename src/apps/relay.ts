import { listenTo } from '../platform/db/notifications.js';
import { OUTBOX_CHANNEL, OutboxRelay } from '../platform/messaging/outbox-relay.js';
import { outboxBacklog } from '../platform/observability/metrics/state-probes.js';
import type { Runtime } from './runtime.js';

export interface RelayRole {
  /** Something was just committed to the outbox in this process. */
  nudge(): void;
  stop(): Promise<void>;
}

/**
 * The relay role: publishes committed outbox rows in commit order. It LISTENs for the outbox
 * trigger's NOTIFY (on PostgreSQL over a connection of its own, as writers live in other
 * processes; on PGlite through its own NOTIFY, as every writer is in this process) and polls only
 * as a fallback.
 */
export async function startRelay(runtime: Runtime): Promise<RelayRole> {
  const url = runtime.database.kind === 'postgres' ? runtime.config.databaseUrl : null;
  const logger = runtime.logger.child({ component: 'relay' });
  const relay = new OutboxRelay(runtime.database, runtime.transport, logger, { pollMs: url ? 500 : 100 });
  const listener = await listenTo(runtime.database, url, OUTBOX_CHANNEL, () => relay.nudge(), logger);
  runtime.metrics.watchOutbox(outboxBacklog(runtime.database));
  relay.start();
  return {
    nudge: () => relay.nudge(),
    stop: async () => {
      await listener.stop();
      await relay.stop();
    },
  };
}
