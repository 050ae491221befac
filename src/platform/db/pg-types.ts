import { customType, timestamp } from 'drizzle-orm/pg-core';

// PostgreSQL's MVCC types, which drizzle does not define: read and written as their text form.

/** A transaction id (64-bit, never wraps): `pg_current_xact_id()`. */
export const xid8 = customType<{ data: string }>({ dataType: () => 'xid8' });

/** Which transactions a read could see: `pg_current_snapshot()`. */
export const pgSnapshot = customType<{ data: string }>({ dataType: () => 'pg_snapshot' });

/** A point in time: `timestamptz`, read and written as a Date (every time column of every context). */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** When the row was written, as the database saw it: the default of every table that keeps no clock of its own. */
export const createdNow = () => instant('created_at').notNull().defaultNow();

/**
 * A row that counts for a while only (a challenge, a mailed token): when it was made and when it
 * stops counting; reads treat it as absent after that, and a sweep deletes it.
 */
export const lifetimeColumns = () => ({
  createdAt: instant('created_at').notNull(),
  expiresAt: instant('expires_at').notNull(),
});
