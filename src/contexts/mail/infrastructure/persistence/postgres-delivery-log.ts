import { sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';
import type { DeliveryLog } from '../../application/mail-ports.js';
import type { MailTemplate } from '../../domain/mail-request.js';

/**
 * `mail.deliveries`. Asked before the send and written after it, outside any transaction: an SMTP
 * conversation must not hold one open (on PGlite, one connection serves the whole process). A crash
 * between the send and the write sends that mail again on redelivery: at least once, and twice only then.
 */
export class PostgresDeliveryLog implements DeliveryLog {
  constructor(private readonly database: Database) {}

  async wasSent(key: string): Promise<boolean> {
    const result = await this.database.query(sql`select 1 from mail.deliveries where key = ${key}`);
    return result.rows.length > 0;
  }

  async recordSent(key: string, template: MailTemplate): Promise<void> {
    await this.database.query(sql`
      insert into mail.deliveries (key, template) values (${key}, ${template}) on conflict (key) do nothing`);
  }
}
