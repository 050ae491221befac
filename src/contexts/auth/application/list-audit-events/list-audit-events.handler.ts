import type { QueryHandler } from '../../../../shared/application/query-bus.js';
import { ValidationError } from '../../../../shared/domain/domain-error.js';

export interface AuditEvent {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: Date;
  readonly sessionId: string | null;
  readonly reason: string | null;
}

/** Port: the audit trail of one user, newest first, continuing below `beforePosition`. */
export interface AuditLogReader {
  list(userId: string, limit: number, beforePosition?: number): Promise<(AuditEvent & { position: number })[]>;
}

export interface ListAuditEventsQuery {
  readonly type: 'auth.list_audit_events';
  readonly userId: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export class ListAuditEventsHandler implements QueryHandler<
  ListAuditEventsQuery,
  { items: AuditEvent[]; nextCursor: string | null }
> {
  constructor(private readonly log: AuditLogReader) {}

  async handle(query: ListAuditEventsQuery) {
    const limit = query.limit ?? 50;
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.log.list(query.userId, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(({ position: _position, ...event }) => event),
      nextCursor: rows.length > limit && last ? String(last.position) : null,
    };
  }
}

function decodeCursor(cursor: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(cursor)) throw new ValidationError('cursor', 'is not a cursor this API issued');
  return Number(cursor);
}
