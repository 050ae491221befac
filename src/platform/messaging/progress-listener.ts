import type { Database } from '../db/database.js';
import { listenTo } from '../db/notifications.js';
import type { Logger } from '../logging/logger.js';
import { PROGRESS_CHANNEL, type ProgressNotices } from './progress-notices.js';

/** Hands the database's progress notices (migration 0012) to `notices` until stopped. */
export function listenForProgress(
  database: Database,
  url: string | null,
  notices: ProgressNotices,
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  return listenTo(database, url, PROGRESS_CHANNEL, (payload) => notices.notify(payload), logger);
}
