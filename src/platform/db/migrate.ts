import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database } from './database.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../migrations', import.meta.url));

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
