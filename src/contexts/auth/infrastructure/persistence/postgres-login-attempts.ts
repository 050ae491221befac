import { sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';
import type { LoginAttempts, LoginStanding } from '../../application/auth-ports.js';
import { lockoutSeconds, secondsUntil, type LockoutPolicy } from '../../domain/login-throttle.js';

/** Lockout state in the database, so every API process sees the same count. */
export class PostgresLoginAttempts implements LoginAttempts {
  constructor(
    private readonly database: Database,
    private readonly policy: LockoutPolicy,
  ) {}

  async standing(key: string, now: Date): Promise<LoginStanding> {
    const result = await this.database.query<{ failures: number; locked_until: string | Date | null }>(sql`
      select failures, locked_until from auth.login_attempts where key = ${key}`);
    const row = result.rows[0];
    return { lockedForSeconds: secondsUntil(row?.locked_until ?? null, now), failures: row?.failures ?? 0 };
  }

  async recordFailure(key: string, now: Date): Promise<void> {
    // One statement: concurrent failures each count, none is lost to a read-modify-write race.
    const result = await this.database.query<{ failures: number }>(sql`
      insert into auth.login_attempts (key, failures, updated_at) values (${key}, 1, ${now.toISOString()})
      on conflict (key) do update set failures = auth.login_attempts.failures + 1, updated_at = excluded.updated_at
      returning failures`);
    const seconds = lockoutSeconds(result.rows[0]?.failures ?? 1, this.policy);
    if (seconds > 0) {
      await this.database.query(sql`
        update auth.login_attempts set locked_until = ${new Date(now.getTime() + seconds * 1000).toISOString()}
         where key = ${key}`);
    }
  }

  async reset(key: string): Promise<void> {
    await this.database.query(sql`delete from auth.login_attempts where key = ${key}`);
  }
}
