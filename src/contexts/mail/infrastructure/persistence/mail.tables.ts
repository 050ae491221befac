import { pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

export const mailSchema = pgSchema('mail');

/**
 * The mails sent, one row per delivery key (the event's id, and which of its mails): what makes a
 * redelivered event send nothing twice. No address, no content: those are the user's and the mail's.
 */
export const mailDeliveriesTable = mailSchema.table('deliveries', {
  key: text('key').primaryKey(),
  template: text('template').notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
