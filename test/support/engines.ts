import { Database } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { createTestDatabase } from './postgres.js';

export type EngineKind = 'pglite' | 'postgres';

export const ENGINE_NAMES: Readonly<Record<EngineKind, string>> = { pglite: 'PGlite', postgres: 'PostgreSQL' };

/** A migrated, empty database of one engine, private to the suite that opened it. */
export interface TestEngine {
  readonly kind: EngineKind;
  readonly database: Database;
  /** The database's connection string (PostgreSQL only): for a second, independent connection. */
  readonly url: string | null;
  /** Closes the handle and, on PostgreSQL, drops the database. */
  close(): Promise<void>;
}

/** In-memory PGlite, or a fresh database on the test PostgreSQL server; migrations applied. */
export async function openEngine(kind: EngineKind): Promise<TestEngine> {
  if (kind === 'pglite') {
    const database = await Database.pglite(null);
    await migrate(database);
    return { kind, database, url: null, close: () => database.close() };
  }
  const created = await createTestDatabase();
  const database = Database.postgres(created.url);
  const close = async (): Promise<void> => {
    await database.close();
    await created.drop();
  };
  try {
    await migrate(database);
  } catch (error) {
    await close();
    throw error;
  }
  return { kind, database, url: created.url, close };
}
