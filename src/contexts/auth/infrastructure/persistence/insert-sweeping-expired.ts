import { lt, type InferInsertModel } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../../../../platform/db/database.js';

/**
 * Inserts a single-use challenge (an MFA sign-in's, a passkey ceremony's). An expired one is of no
 * use to anyone and anyone may ask for a new one, so each insert sweeps the expired first: the
 * table holds only what can still be answered, with no sweeper to run.
 */
export async function insertSweepingExpired<T extends PgTable & { expiresAt: PgColumn }>(
  database: Database,
  table: T,
  challenge: InferInsertModel<T> & { createdAt: Date },
): Promise<void> {
  const db = database.executor();
  await db.delete(table as PgTable).where(lt(table.expiresAt, challenge.createdAt));
  await db.insert(table as PgTable).values(challenge);
}
