import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import type { OutboxBacklog, ProjectionCheckpoint } from './metrics.js';

/** Reads the outbox backlog; the partial index on unpublished rows keeps this cheap. */
export function outboxBacklog(database: Database): () => Promise<OutboxBacklog> {
  return async () => {
    const result = await database.query<{ pending: number | string; age: number | string | null }>(sql`
      select count(*)::int as pending,
             coalesce(extract(epoch from now() - min(occurred_at)), 0)::float8 as age
        from messaging.outbox
       where published_at is null`);
    const row = result.rows[0];
    return { pending: Number(row?.pending ?? 0), oldestPendingAgeSeconds: Math.max(0, Number(row?.age ?? 0)) };
  };
}

export function projectionCheckpoints(database: Database): () => Promise<readonly ProjectionCheckpoint[]> {
  return async () => {
    const result = await database.query<{ projection: string; position: number | string }>(sql`
      select projection, position from messaging.projection_checkpoints`);
    return result.rows.map((row) => ({ projection: row.projection, position: Number(row.position) }));
  };
}
