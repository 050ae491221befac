import type { Database } from '../db/database.js';
import { PgNotificationListener } from '../db/pg-notification-listener.js';
import type { Logger } from '../logging/logger.js';
import { PROGRESS_CHANNEL, type ProgressNotices } from './progress-notices.js';

/**
 * Hands the database's progress notices to `notices` until stopped: over a connection of its own
 * on PostgreSQL (another process may have done the work), through PGlite's own NOTIFY embedded.
 */
export async function listenForProgress(
  database: Database,
  url: string | null,
  notices: ProgressNotices,
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  const inProcess = database.notifications;
  if (inProcess) {
    const unlisten = await inProcess(PROGRESS_CHANNEL, (payload) => notices.notify(payload));
    return { stop: unlisten };
  }
  if (!url) return { stop: async () => {} };
  const listener = new PgNotificationListener(url, PROGRESS_CHANNEL, (payload) => notices.notify(payload), logger);
  await listener.start();
  return listener;
}
