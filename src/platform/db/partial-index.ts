import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

// Partial-index predicates in upper case, as the migrations already hold them: drizzle's own
// isNull/isNotNull render in lower case, which drizzle-kit would see as a change to every index.

/** `col IS NULL`, for `index(…).on(…).where(…)`. */
export const whereNull = (column: AnyPgColumn): SQL => sql`${column} IS NULL`;

/** `col IS NOT NULL`, for `index(…).on(…).where(…)`. */
export const whereNotNull = (column: AnyPgColumn): SQL => sql`${column} IS NOT NULL`;
