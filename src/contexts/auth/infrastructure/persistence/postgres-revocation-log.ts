import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';

export interface RevocationRead {
  /** The snapshot the read saw the database with (`pg_snapshot` text). */
  readonly snapshot: string;
  /** Every transaction older than this had finished when the read began: the next read starts here. */
  readonly xmin: string;
  readonly revoked: readonly { readonly id: string; readonly revokedAt: Date }[];
}

/** Which sessions a barrier waits on: one user's (a command on the user), or some by id (logout). */
export type RevokedSessions = { readonly userId: string } | { readonly sessionIds: readonly string[] };

/**
 * The database side of "revoked at once". Each revocation records its transaction id; each API
 * process's cache reads what was revoked and then records the snapshot it read with. A revocation
 * is known everywhere once every live reader's snapshot sees its transaction, which is exact
 * (commit order, not clocks) and holds on PostgreSQL and PGlite alike.
 */
export class PostgresRevocationLog {
  constructor(private readonly database: Database) {}

  /** Revocations since `since` (the first read after start). */
  readSince(since: Date): Promise<RevocationRead> {
    return this.read(sql`s.revoked_at > ${since.toISOString()}`);
  }

  /** Revocations by transactions the read that returned `xmin` may not have seen. */
  readAfter(xmin: string): Promise<RevocationRead> {
    return this.read(sql`s.revoked_xid >= ${xmin}::xid8`);
  }

  private async read(condition: SQL): Promise<RevocationRead> {
    // One statement, so the snapshot returned is the one the join read with.
    const result = await this.database.query<{
      snapshot: string;
      xmin: string;
      id: string | null;
      revoked_at: string | Date | null;
    }>(sql`
      with snap as (select pg_current_snapshot() as s)
      select snap.s::text as snapshot, pg_snapshot_xmin(snap.s)::text as xmin, s.id, s.revoked_at
      from snap left join auth.sessions s on ${condition}`);
    const first = result.rows[0]!;
    return {
      snapshot: first.snapshot,
      xmin: first.xmin,
      revoked: result.rows.flatMap((r) =>
        r.id && r.revoked_at ? [{ id: r.id, revokedAt: new Date(r.revoked_at) }] : [],
      ),
    };
  }

  /** Records that `readerId` has applied everything `snapshot` saw (after applying it, never before). */
  async heartbeat(readerId: string, snapshot: string): Promise<void> {
    await this.database.query(sql`
      insert into auth.revocation_readers (reader_id, snapshot, heartbeat_at)
      values (${readerId}, ${snapshot}::pg_snapshot, now())
      on conflict (reader_id) do update set snapshot = excluded.snapshot, heartbeat_at = excluded.heartbeat_at`);
  }

  async leave(readerId: string): Promise<void> {
    await this.database.query(sql`delete from auth.revocation_readers where reader_id = ${readerId}`);
  }

  /** Drops readers silent for an hour: processes that died without leaving. */
  async forgetSilentReaders(): Promise<void> {
    await this.database.query(sql`
      delete from auth.revocation_readers where heartbeat_at < now() - interval '1 hour'`);
  }

  /**
   * How many readers that reported within `liveMs` have not yet seen a revocation of `sessions`
   * made after `since`. A reader silent for longer refuses every token itself (fails closed).
   */
  async readersBehind(sessions: RevokedSessions, since: Date, liveMs: number): Promise<number> {
    if ('sessionIds' in sessions && sessions.sessionIds.length === 0) return 0;
    const which =
      'userId' in sessions
        ? sql`s.user_id = ${sessions.userId}::uuid`
        : sql`s.id in (${sql.join(
            sessions.sessionIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`;
    const result = await this.database.query<{ behind: number }>(sql`
      select count(*)::int as behind from auth.revocation_readers r
      where r.heartbeat_at > now() - make_interval(secs => ${liveMs / 1000})
        and exists (select 1 from auth.sessions s
                    where ${which} and s.revoked_xid is not null and s.revoked_at > ${since.toISOString()}
                      and not pg_visible_in_snapshot(s.revoked_xid, r.snapshot))`);
    return result.rows[0]?.behind ?? 0;
  }
}
