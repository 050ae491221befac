import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';
import type { SessionReader } from '../../application/auth-ports.js';
import type { SessionSummary } from '../../domain/session.js';
import { sessionsTable } from './auth.tables.js';

export class PostgresSessionReader implements SessionReader {
  constructor(private readonly database: Database) {}

  async listActive(userId: string, now: Date): Promise<SessionSummary[]> {
    const lastUsedAt = sql<Date>`coalesce(${sessionsTable.lastUsedAt}, ${sessionsTable.createdAt})`;
    return this.database
      .executor()
      .select({
        id: sessionsTable.id,
        createdAt: sessionsTable.createdAt,
        lastUsedAt: sql<Date>`${lastUsedAt}`.mapWith(sessionsTable.createdAt),
        userAgent: sessionsTable.userAgent,
        ip: sessionsTable.ip,
        mfa: sessionsTable.mfa,
      })
      .from(sessionsTable)
      .where(and(eq(sessionsTable.userId, userId), isNull(sessionsTable.revokedAt), gt(sessionsTable.expiresAt, now)))
      .orderBy(desc(lastUsedAt), desc(sessionsTable.id));
  }
}
