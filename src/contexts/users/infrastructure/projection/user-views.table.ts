import { boolean, index, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
    roles: text('roles').array().notNull(),
    status: text('status', { enum: ['active', 'deactivated', 'deleted'] }).notNull(),
    emailVerified: boolean('email_verified').notNull().default(false),
    locale: text('locale').notNull().default('en'),
    version: integer('version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('user_views_email_idx').on(t.email), index('user_views_username_idx').on(t.username)],
);
