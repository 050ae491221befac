import type { Logger } from '../logging/logger.js';
import type { Database } from './database.js';
import { PgNotificationListener } from './pg-notification-listener.js';

/**
 * Calls `onPayload` for every NOTIFY on `channel` until stopped: over a connection of its own on
 * PostgreSQL (another process may have sent it), through PGlite's own NOTIFY embedded. With no
 * payload after a reconnect, when some may have been missed.
 */
export async function listenTo(
  database: Database,
  url: string | null,
  channel: string,
  onPayload: (payload?: string) => void,
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  const inProcess = database.notifications;
  if (inProcess) return { stop: await inProcess(channel, (payload) => onPayload(payload)) };
  if (!url) return { stop: async () => {} };
  const listener = new PgNotificationListener(url, channel, onPayload, logger);
  await listener.start();
  return listener;
}
