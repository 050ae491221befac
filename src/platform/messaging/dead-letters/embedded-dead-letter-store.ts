import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { deadLetterQueue } from '../topology.js';
import type { DeadLetter, DeadLetterStore, ReplayResult, ReplaySelection } from './dead-letter-store.js';

interface Row {
  message_id: string;
  type: string;
  deliveries: number;
  last_error: string | null;
  available_at: string | Date;
}

/** The embedded queue dead-letters by moving a row to `<queue>.dlq`; replay moves it back. */
export class EmbeddedDeadLetterStore implements DeadLetterStore {
  constructor(private readonly database: Database) {}

  async list(queue: string, limit: number): Promise<DeadLetter[]> {
    const result = await this.database.query<Row>(sql`
      select message_id, type, deliveries, last_error, available_at
        from messaging.queue_messages
       where queue = ${deadLetterQueue(queue)}
       order by id
       limit ${limit}`);
    return result.rows.map((row) => ({
      messageId: row.message_id,
      type: row.type,
      deliveries: Number(row.deliveries),
      error: row.last_error,
      since: new Date(row.available_at),
    }));
  }

  async replay(queue: string, selection: ReplaySelection): Promise<ReplayResult> {
    const ids = 'all' in selection ? null : selection.ids;
    if (ids?.length === 0) return { replayed: [], missing: [] };
    // A fresh delivery count, so the replayed message gets the whole retry schedule again.
    const result = await this.database.query<{ message_id: string }>(sql`
      update messaging.queue_messages
         set queue = ${queue}, deliveries = 0, lease_until = null, available_at = now()
       where queue = ${deadLetterQueue(queue)}
         ${
           ids
             ? sql`and message_id in (${sql.join(
                 ids.map((id) => sql`${id}`),
                 sql`, `,
               )})`
             : sql``
         }
      returning message_id`);
    const replayed = result.rows.map((row) => row.message_id);
    return { replayed, missing: (ids ?? []).filter((id) => !replayed.includes(id)) };
  }

  /** The database belongs to the caller. */
  async close(): Promise<void> {}
}
