import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database } from './database.js';

/** `migrations/` of the checkout or image, found upwards from this module (in src/, dist/ or .build/…). */
export const MIGRATIONS_FOLDER = findMigrations(dirname(fileURLToPath(import.meta.url)));

function findMigrations(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'migrations');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`no migrations/ folder above ${from}`);
  }
}

/**
 * How many migrations of `migrations/` the database has not applied: drizzle's own test (a journal
 * entry newer than the last one recorded), in two small queries, so a start with nothing to apply
 * skips the migrator, which reads and hashes every file and creates its table first.
 */
export async function pendingMigrations(database: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<number> {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  const table = await database.query<{ name: string | null }>(
    sql`select to_regclass('drizzle.__drizzle_migrations')::text as name`,
  );
  if (!table.rows[0]?.name) return journal.entries.length;
  const last = await database.query<{ at: string | number | null }>(
    sql`select max(created_at) as at from drizzle.__drizzle_migrations`,
  );
  const appliedUpTo = Number(last.rows[0]?.at ?? 0);
  return journal.entries.filter((entry) => entry.when > appliedUpTo).length;
}

/** Applies the plain-SQL migrations in `migrations/`; the same files run on PGlite and PostgreSQL. */
export async function migrate(database: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  if (database.kind === 'postgres') {
    // Serialise concurrent starters (several api pods, say) so only one applies a migration.
    const pool = database.pool!;
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock(7426001)');
      // On the connection that holds the lock: with a pool of one, asking the pool again would wait forever.
      await migratePg(drizzle({ client }) as unknown as NodePgDatabase, { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock(7426001)').catch(() => undefined);
      client.release();
    }
  } else {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder });
  }
}
