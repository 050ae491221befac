import { and, eq } from 'drizzle-orm';
import type { PgColumn, PgTable, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Executor } from './database.js';

/** A table whose rows carry an `id` and the `version` that optimistic concurrency compares. */
export type VersionedTable = PgTable & { readonly id: PgColumn; readonly version: PgColumn };

/**
 * Optimistic concurrency: writes `values` to the aggregate's row only if the row is still at the
 * version the aggregate was loaded with. False when another writer got there first, or the row is gone.
 */
export async function updateAtVersion<T extends VersionedTable>(
  executor: Executor,
  table: T,
  aggregate: { readonly id: string; readonly persistedVersion: number },
  values: PgUpdateSetSource<T>,
): Promise<boolean> {
  const updated = await updateAtVersionStatement(executor, table, aggregate, values);
  return updated.length > 0;
}

/** The same update, not yet run (returning the id it updated): for a statement that does more with it. */
export function updateAtVersionStatement<T extends VersionedTable>(
  executor: Executor,
  table: T,
  aggregate: { readonly id: string; readonly persistedVersion: number },
  values: PgUpdateSetSource<T>,
) {
  return executor
    .update(table)
    .set(values)
    .where(and(eq(table.id, aggregate.id), eq(table.version, aggregate.persistedVersion)))
    .returning({ id: table.id });
}
