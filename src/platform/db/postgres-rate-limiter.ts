import { sql } from 'drizzle-orm';
import type { RateLimiter } from '../../shared/application/ports/rate-limiter.js';
import type { Database } from './database.js';

/**
 * Fixed-window counters: one upsert per hit. Coarser than a sliding window, but one statement,
 * shared by every process, and enough to bound guessing and sign-up floods.
 */
export class PostgresRateLimiter implements RateLimiter {
  constructor(private readonly database: Database) {}

  async hit(key: string, limit: number, windowSeconds: number, now: Date) {
    const windowMs = windowSeconds * 1000;
    const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
    const result = await this.database.query<{ hits: number }>(sql`
      insert into auth.rate_limits (key, window_start, hits) values (${key}, ${windowStart.toISOString()}, 1)
      on conflict (key, window_start) do update set hits = auth.rate_limits.hits + 1
      returning hits`);
    const hits = result.rows[0]?.hits ?? 1;
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
    return { allowed: hits <= limit, retryAfterSeconds };
  }

  /** Old windows are useless; called now and then so the table stays small. */
  async prune(now: Date): Promise<void> {
    await this.database.query(sql`
      delete from auth.rate_limits where window_start < ${new Date(now.getTime() - 2 * 3_600_000).toISOString()}`);
  }
}
