import { boolean, integer, pgSchema, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { whereNotNull } from '../../../../platform/db/partial-index.js';
import { instant } from '../../../../platform/db/pg-types.js';

export const usersSchema = pgSchema('users');

/** The account's state, held alike by the write model and the read model (fresh builders per table). */
export function accountStateColumns() {
  return {
    roles: text('roles').array().notNull(),
    status: text('status', { enum: ['active', 'deactivated', 'deleted'] }).notNull(),
    emailVerified: boolean('email_verified').notNull().default(false),
    locale: text('locale').notNull().default('en'),
    version: integer('version').notNull(),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  };
}

/**
 * The write model. A deleted user keeps its row (id and version, so late messages still find a
 * tombstone) but every personal field is set to NULL.
 */
export const usersTable = usersSchema.table(
  'users',
  {
    id: uuid('id').primaryKey(),
    email: text('email'),
    username: text('username'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    passwordHash: text('password_hash'),
    ...accountStateColumns(),
    deletedAt: instant('deleted_at'),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email).where(whereNotNull(t.email)),
    uniqueIndex('users_username_key').on(t.username).where(whereNotNull(t.username)),
  ],
);
