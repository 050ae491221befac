import { pgSchema, text } from 'drizzle-orm/pg-core';
import { instant } from '../../../../platform/db/pg-types.js';

export const mailSchema = pgSchema('mail');

/**
 * The mails sent, one row per delivery key (the event's id, and which of its mails): what makes a
 * redelivered event send nothing twice. No address, no content: those are the user's and the mail's.
 */
export const mailDeliveriesTable = mailSchema.table('deliveries', {
  key: text('key').primaryKey(),
  template: text('template').notNull(),
  sentAt: instant('sent_at').notNull().defaultNow(),
});
