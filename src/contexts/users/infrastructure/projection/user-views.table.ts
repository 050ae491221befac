import { index, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { accountStateColumns } from '../persistence/users.table.js';

export const readSchema = pgSchema('read');

/**
 * The read model every users query reads. Built only by the projector, from events. A deleted user
 * stays as an emptied tombstone row so later or replayed events keep their version order.
 */
export const userViewsTable = readSchema.table(
  'user_views',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    username: text('username').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    ...accountStateColumns(),
  },
  (t) => [index('user_views_email_idx').on(t.email), index('user_views_username_idx').on(t.username)],
);
