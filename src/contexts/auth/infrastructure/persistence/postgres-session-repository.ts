import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';
import { updateAtVersionStatement } from '../../../../platform/db/update-at-version.js';
import type { SessionRevocationReason } from '../../domain/auth-events.js';
import { Session, type AuthenticationMethod } from '../../domain/session.js';
import type { SessionRepository } from '../../domain/session-repository.js';
import { refreshTokensTable, sessionsTable } from './auth.tables.js';
import { lockedRows } from '../../../../platform/db/locked-rows.js';

/** Thrown when another request rotated or revoked the session first (a refresh race). */
export class SessionModifiedError extends Error {
  constructor(id: string) {
    super(`session ${id} was modified concurrently`);
    this.name = 'SessionModifiedError';
  }
}

export class PostgresSessionRepository implements SessionRepository {
  constructor(private readonly database: Database) {}

  async findByTokenHash(tokenHash: string): Promise<Session | null> {
    // The token's session, locked, in one statement (a refresh's round trips are most of its cost);
    // `FOR UPDATE` locks the session row only, not the token row the subquery reads.
    const tokenSession = sql`(select ${refreshTokensTable.sessionId} from ${refreshTokensTable}
                               where ${refreshTokensTable.tokenHash} = ${tokenHash})`;
    const [row] = await lockedRows(this.database, sessionsTable, eq(sessionsTable.id, tokenSession));
    return row ? toSession(row) : null;
  }

  async findById(id: string): Promise<Session | null> {
    const [row] = await lockedRows(this.database, sessionsTable, eq(sessionsTable.id, id));
    return row ? toSession(row) : null;
  }

  async findActiveByUser(userId: string, now: Date): Promise<Session[]> {
    const rows = await lockedRows(
      this.database,
      sessionsTable,
      and(eq(sessionsTable.userId, userId), isNull(sessionsTable.revokedAt), gt(sessionsTable.expiresAt, now)),
    );
    return rows.map(toSession);
  }

  async insert(session: Session): Promise<void> {
    const s = session.snapshot();
    const db = this.database.executor();
    const sessionRow = db.insert(sessionsTable).values({ ...s, roles: [...s.roles], amr: [...s.amr] });
    const firstToken = db.insert(refreshTokensTable).values({ tokenHash: s.currentTokenHash, sessionId: s.id });
    // One statement for both rows: a sign-in's round trips are most of what it costs besides the hash.
    await this.database.query(sql`with session as (${sessionRow.getSQL()}) ${firstToken.getSQL()}`);
  }

  async update(session: Session): Promise<void> {
    const s = session.snapshot();
    const db = this.database.executor();
    const rotated = updateAtVersionStatement(db, sessionsTable, session, {
      currentTokenHash: s.currentTokenHash,
      previousTokenHash: s.previousTokenHash,
      rotatedAt: s.rotatedAt,
      lastUsedAt: s.lastUsedAt,
      revokedAt: s.revokedAt,
      revokedReason: s.revokedReason,
      // The transaction that revoked it: the revocation caches prove they have read it (PostgresRevocationLog).
      ...(s.revokedAt && { revokedXid: sql`coalesce("revoked_xid", pg_current_xact_id())` }),
      version: s.version,
    });
    // One statement: the current token's digest is stored only if the version check let the update in.
    const result = await this.database.query<{ updated: number }>(sql`
      with updated as (${rotated.getSQL()}),
           token as (
             insert into ${refreshTokensTable} (token_hash, session_id)
             select ${s.currentTokenHash}, id from updated
             on conflict do nothing
           )
      select count(*)::int as updated from updated`);
    if (!result.rows[0]?.updated) throw new SessionModifiedError(s.id);
  }
}

export function toSession(row: typeof sessionsTable.$inferSelect): Session {
  return Session.restore({
    id: row.id,
    userId: row.userId,
    roles: row.roles,
    currentTokenHash: row.currentTokenHash,
    previousTokenHash: row.previousTokenHash,
    rotatedAt: row.rotatedAt,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt ?? row.createdAt,
    userAgent: row.userAgent,
    ip: row.ip,
    mfa: row.mfa,
    amr: row.amr as AuthenticationMethod[],
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedReason: row.revokedReason as SessionRevocationReason | null,
    version: row.version,
  });
}
