import { sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';
import type { AuditEvent, AuditLogReader } from '../../application/list-audit-events/list-audit-events.handler.js';

interface Row {
  position: string | number;
  event_id: string;
  type: string;
  occurred_at: string | Date;
  data: { sessionId?: string; reason?: string };
}

/** The audit trail is the outbox itself: events are kept after publishing, so nothing is written twice. */
export class OutboxAuditLogReader implements AuditLogReader {
  constructor(private readonly database: Database) {}

  async list(userId: string, limit: number, beforePosition?: number): Promise<(AuditEvent & { position: number })[]> {
    const result = await this.database.query<Row>(sql`
      select position, event_id, type, occurred_at, data from messaging.outbox
       where type like 'auth.%' and data->>'userId' = ${userId}
         ${beforePosition === undefined ? sql`` : sql`and position < ${beforePosition}`}
       order by position desc
       limit ${limit}`);
    return result.rows.map((row) => ({
      position: Number(row.position),
      id: row.event_id,
      type: row.type,
      occurredAt: new Date(row.occurred_at),
      sessionId: row.data.sessionId ?? null,
      reason: row.data.reason ?? null,
    }));
  }
}
