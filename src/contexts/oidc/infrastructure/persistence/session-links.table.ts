import { index, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const oidc = pgSchema('oidc');

/** Each grant of the OpenID provider and the Portico session it lives by (PostgresSessionLinks). */
export const sessionLinks = oidc.table(
  'session_links',
  {
    grantId: text('grant_id').primaryKey(),
    sessionUid: text('session_uid').notNull(),
    sessionId: uuid('session_id').notNull(),
    userId: uuid('user_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('session_links_session_uid').on(t.sessionUid), index('session_links_session_id').on(t.sessionId)],
);
