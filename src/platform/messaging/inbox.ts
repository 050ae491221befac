import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';

/**
 * Exactly-once effect on top of at-least-once delivery: a consumer claims a message id inside the
 * transaction that applies it. A redelivered duplicate finds the claim and does nothing.
 */
export class Inbox {
  constructor(private readonly database: Database) {}

  /** True when this consumer has not seen the message before. Must run inside a transaction. */
  async claim(consumer: string, messageId: string): Promise<boolean> {
    if (!this.database.inTransaction) throw new Error('Inbox.claim must run inside a transaction');
    const result = await this.database.query(sql`
      insert into messaging.inbox (consumer, message_id) values (${consumer}, ${messageId})
      on conflict do nothing`);
    return result.rowCount > 0;
  }
}
