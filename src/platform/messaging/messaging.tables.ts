import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgSchema, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdNow, instant, xid8 } from '../db/pg-types.js';
import { whereNotNull, whereNull } from '../db/partial-index.js';

export const messagingSchema = pgSchema('messaging');

/**
 * Transactional outbox. `tx_id` lets the relay publish in commit order: a row is only taken once
 * every transaction that could still commit an earlier position has finished. Rows are kept after
 * publishing, so projections can be rebuilt from them.
 */
export const outboxTable = messagingSchema.table(
  'outbox',
  {
    position: bigserial('position', { mode: 'number' }).primaryKey(),
    eventId: uuid('event_id').notNull().unique(),
    type: text('type').notNull(),
    version: integer('version').notNull(),
    aggregateId: uuid('aggregate_id').notNull(),
    aggregateVersion: integer('aggregate_version').notNull(),
    data: jsonb('data').notNull(),
    metadata: jsonb('metadata').notNull(),
    occurredAt: instant('occurred_at').notNull(),
    txId: xid8('tx_id')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    publishedAt: instant('published_at'),
  },
  (t) => [
    index('outbox_unpublished_idx').on(t.position).where(whereNull(t.publishedAt)),
    index('outbox_aggregate_idx').on(t.aggregateId, t.aggregateVersion),
  ],
);

/** One row per message a consumer has applied: a redelivered duplicate finds its row and stops. */
export const inboxTable = messagingSchema.table(
  'inbox',
  {
    consumer: text('consumer').notNull(),
    messageId: text('message_id').notNull(),
    processedAt: instant('processed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.consumer, t.messageId] })],
);

export const commandStatusTable = messagingSchema.table(
  'command_status',
  {
    commandId: uuid('command_id').primaryKey(),
    type: text('type').notNull(),
    status: text('status', { enum: ['pending', 'succeeded', 'failed'] }).notNull(),
    resourceId: uuid('resource_id'),
    resultVersion: integer('result_version'),
    error: jsonb('error'),
    caller: text('caller').notNull(),
    correlationId: text('correlation_id').notNull(),
    createdAt: createdNow(),
    completedAt: instant('completed_at'),
  },
  // Admission control counts the backlog and the recent completions several times a second.
  (t) => [
    index('command_status_pending_idx')
      .on(t.createdAt)
      .where(sql`${t.status} = 'pending'`),
    index('command_status_completed_idx').on(t.completedAt).where(whereNotNull(t.completedAt)),
  ],
);

export const idempotencyKeysTable = messagingSchema.table(
  'idempotency_keys',
  {
    caller: text('caller').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers'),
    responseBody: jsonb('response_body'),
    createdAt: createdNow(),
  },
  (t) => [primaryKey({ columns: [t.caller, t.key] })],
);

export const projectionCheckpointsTable = messagingSchema.table('projection_checkpoints', {
  projection: text('projection').primaryKey(),
  position: bigint('position', { mode: 'number' }).notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

/**
 * The embedded transport's durable queue: what RabbitMQ does in production, in the same database.
 * A message is leased while a consumer works on it; an expired lease makes it visible again.
 */
export const queueMessagesTable = messagingSchema.table(
  'queue_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    queue: text('queue').notNull(),
    messageId: text('message_id').notNull(),
    type: text('type').notNull(),
    headers: jsonb('headers').notNull(),
    body: jsonb('body').notNull(),
    deliveries: integer('deliveries').notNull().default(0),
    availableAt: instant('available_at').notNull().defaultNow(),
    leaseUntil: instant('lease_until'),
    createdAt: createdNow(),
    lastError: text('last_error'),
  },
  (t) => [index('queue_messages_ready_idx').on(t.queue, t.availableAt, t.id)],
);
