import type {
  AuditEvent,
  AuditLogReader,
} from '../../../src/contexts/auth/application/list-audit-events/list-audit-events.handler.js';

/** Audit entries in append order, read newest first like the outbox-backed adapter. */
export class InMemoryAuditLogReader implements AuditLogReader {
  private readonly entries: { userId: string; position: number; event: AuditEvent }[] = [];
  /** Every `list` call, so a test can check the page size and cursor handed down. */
  readonly calls: { userId: string; limit: number; beforePosition: number | undefined }[] = [];

  /** Appends an event of `userId`; answers its position (1, 2, …). */
  add(userId: string, event: AuditEvent): number {
    const position = this.entries.length + 1;
    this.entries.push({ userId, position, event });
    return position;
  }

  async list(userId: string, limit: number, beforePosition?: number): Promise<(AuditEvent & { position: number })[]> {
    this.calls.push({ userId, limit, beforePosition });
    return this.entries
      .filter((e) => e.userId === userId && (beforePosition === undefined || e.position < beforePosition))
      .sort((a, b) => b.position - a.position)
      .slice(0, limit)
      .map((e) => ({ ...e.event, position: e.position }));
  }
}
