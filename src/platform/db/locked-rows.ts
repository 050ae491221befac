import type { InferSelectModel, SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from './database.js';

/**
 * The rows of `table` that match, locked (`FOR UPDATE`) in the caller's transaction: what every
 * repository's load-to-change does, so two changes of one aggregate queue up instead of racing.
 */
export async function lockedRows<T extends PgTable>(
  database: Database,
  table: T,
  where: SQL | undefined,
): Promise<InferSelectModel<T>[]> {
  const rows = await database
    .executor()
    .select()
    .from(table as PgTable)
    .where(where)
    .for('update');
  return rows as InferSelectModel<T>[];
}
