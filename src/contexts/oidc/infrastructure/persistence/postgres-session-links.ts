import { sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';

/** A grant of the OpenID provider, tied to the Portico session that signed its user in. */
export interface SessionLink {
  readonly grantId: string;
  /** The provider's session (its `uid`, stable across sign-ins in one browser). */
  readonly sessionUid: string;
  /** The Portico session: while it holds, so do the grant's tokens. */
  readonly sessionId: string;
  readonly userId: string;
}

export interface SessionLinks {
  link(link: SessionLink): Promise<void>;
  /** The Portico session a grant's tokens live by; null for a grant we never linked. */
  sessionOfGrant(grantId: string): Promise<string | null>;
  /** The Portico session the browser's provider session signed in with last. */
  sessionOfBrowser(sessionUid: string): Promise<string | null>;
  /** Unlinks and answers the grants a Portico session gave (it ended: they go with it). */
  releaseGrantsOf(sessionId: string): Promise<string[]>;
}

/** `oidc.session_links`: one row per grant. */
export class PostgresSessionLinks implements SessionLinks {
  constructor(private readonly database: Database) {}

  async link({ grantId, sessionUid, sessionId, userId }: SessionLink): Promise<void> {
    await this.database.query(sql`
      insert into oidc.session_links (grant_id, session_uid, session_id, user_id)
      values (${grantId}, ${sessionUid}, ${sessionId}, ${userId})
      on conflict (grant_id) do update set session_uid = excluded.session_uid, session_id = excluded.session_id`);
  }

  async sessionOfGrant(grantId: string): Promise<string | null> {
    const { rows } = await this.database.query<{ session_id: string }>(
      sql`select session_id from oidc.session_links where grant_id = ${grantId}`,
    );
    return rows[0]?.session_id ?? null;
  }

  async sessionOfBrowser(sessionUid: string): Promise<string | null> {
    const { rows } = await this.database.query<{ session_id: string }>(sql`
      select session_id from oidc.session_links where session_uid = ${sessionUid}
       order by created_at desc limit 1`);
    return rows[0]?.session_id ?? null;
  }

  async releaseGrantsOf(sessionId: string): Promise<string[]> {
    const { rows } = await this.database.query<{ grant_id: string }>(
      sql`delete from oidc.session_links where session_id = ${sessionId} returning grant_id`,
    );
    return rows.map((row) => row.grant_id);
  }
}
