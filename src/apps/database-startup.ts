import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config/config.js';
import { Database, type DatabaseOptions } from '../platform/db/database.js';
import { migrate, pendingMigrations } from '../platform/db/migrate.js';
import type { Logger } from '../platform/logging/logger.js';
import { unreachable } from './operator-errors.js';

export interface OpenDatabaseOptions {
  /** Apply the migrations the database lacks (embedded start, `portico start`, `portico migrate`). */
  readonly migrate: boolean;
  /** Wraps the driver client (tracing). */
  readonly wrapClient?: <C extends object>(client: C) => C;
}

/** How long PostgreSQL gets to answer the first query before the start gives up. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The configured database, open, answering and migrated when asked; each step says what it is
 * doing, so a start is never minutes of silence. Only the first start creates the embedded database
 * (PGlite runs initdb: several seconds), and a start with nothing to migrate skips the migrator.
 */
export async function openDatabase(config: Config, logger: Logger, options: OpenDatabaseOptions): Promise<Database> {
  const wrap = options.wrapClient ? { wrapClient: options.wrapClient } : {};
  const database = config.databaseUrl
    ? await openPostgres(config.databaseUrl, logger, {
        poolSize: config.dbPoolSize,
        namedStatements: config.dbNamedStatements,
        ...wrap,
      })
    : await openEmbedded(config.dataDir, logger, { namedStatements: config.dbNamedStatements, ...wrap });
  if (!options.migrate) return database;
  try {
    await migrateIfBehind(database, logger);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/** In `dataDir`, or in memory when it is empty (tests). */
async function openEmbedded(dataDir: string, logger: Logger, options: DatabaseOptions): Promise<Database> {
  if (!dataDir) logger.info('opening an in-memory embedded database…');
  else if (existsSync(join(dataDir, 'PG_VERSION'))) logger.info(`opening the embedded database in ${dataDir}…`);
  else logger.info(`creating the embedded database in ${dataDir} (only the first start does; it takes a few seconds)…`);
  const database = await Database.pglite(dataDir || null, options);
  logger.info('database opened');
  return database;
}

async function openPostgres(url: string, logger: Logger, options: DatabaseOptions): Promise<Database> {
  const { hostname, port, pathname } = new URL(url);
  logger.info(`connecting to PostgreSQL at ${hostname}:${port || 5432}${pathname}…`);
  const database = Database.postgres(url, options);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
  });
  try {
    await Promise.race([database.ping(), timeout]);
  } catch (error) {
    // Not awaited: a pool still waiting for its connection would hold the one-line error up.
    void database.close().catch(() => undefined);
    throw unreachable('PostgreSQL', 'DATABASE_URL', url, error);
  } finally {
    clearTimeout(timer);
  }
  logger.info('database opened');
  return database;
}

async function migrateIfBehind(database: Database, logger: Logger): Promise<void> {
  const pending = await pendingMigrations(database);
  if (pending === 0) {
    logger.info('the database schema is up to date');
    return;
  }
  logger.info(`applying ${pending} migration${pending === 1 ? '' : 's'}…`);
  await migrate(database);
  logger.info('migrations applied');
}
