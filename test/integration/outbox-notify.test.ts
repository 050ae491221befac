import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenTo } from '../../src/platform/db/notifications.js';
import { PgNotificationListener } from '../../src/platform/db/pg-notification-listener.js';
import type { Message } from '../../src/platform/messaging/message.js';
import { OUTBOX_CHANNEL, OutboxRelay } from '../../src/platform/messaging/outbox-relay.js';
import type { MessageTransport } from '../../src/platform/messaging/transport.js';
import { openEngine, type TestEngine } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';

const postgresUp = await postgresAvailable();
const logger = pino({ level: 'silent' });

class Recording implements Pick<MessageTransport, 'publish'> {
  readonly published: Message[] = [];
  async publish(message: Message): Promise<void> {
    this.published.push(message);
  }
}

const insertEvent = (client: pg.Client | { query: (text: string, values: unknown[]) => Promise<unknown> }) =>
  client.query(
    `insert into messaging.outbox (event_id, type, version, aggregate_id, aggregate_version, data, metadata, occurred_at)
     values ($1, 'users.user.created', 1, $2, 1, '{}', '{}', now())`,
    [randomUUID(), randomUUID()],
  );

async function within<T>(ms: number, check: () => T | undefined): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The relay's LISTEN/NOTIFY wake-up (migration 0002): with polling set to a minute, an event
 * committed by another connection is published well before the poll, also after the listening
 * connection was killed and came back. (Not instantly: a transaction still open anywhere on the
 * shared server holds `pg_snapshot_xmin` back, and the relay waits for it.)
 */
describe.skipIf(!postgresUp)('outbox NOTIFY wakes the relay [PostgreSQL]', () => {
  let engine: TestEngine;
  let writer: pg.Client;

  beforeAll(async () => {
    engine = await openEngine('postgres');
    writer = new pg.Client({ connectionString: engine.url! });
    await writer.connect();
  }, 60_000);

  afterAll(async () => {
    await writer?.end();
    await engine?.close();
  }, 60_000);

  it('publishes a committed event without waiting for the poll, across a lost connection', async () => {
    const transport = new Recording();
    const relay = new OutboxRelay(engine.database, transport as unknown as MessageTransport, logger, {
      pollMs: 60_000,
    });
    const listener = new PgNotificationListener(engine.url!, OUTBOX_CHANNEL, () => relay.nudge(), logger, {
      initialDelayMs: 50,
    });
    await listener.start();
    relay.start();
    try {
      await insertEvent(writer);
      expect(await within(15_000, () => transport.published[0]), 'woken by NOTIFY').toBeDefined();

      await writer.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where pid <> pg_backend_pid() and query ilike 'LISTEN%' and datname = current_database()`,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      await insertEvent(writer);
      expect(await within(15_000, () => transport.published[1]), 'woken again after reconnecting').toBeDefined();

      // Rolled back: no notification, nothing to publish.
      await writer.query('begin');
      await insertEvent(writer);
      await writer.query('rollback');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(transport.published).toHaveLength(2);
    } finally {
      await listener.stop();
      await relay.stop();
    }
  }, 30_000);
});

describe('outbox NOTIFY trigger [PGlite]', () => {
  it('is installed by the same migration, and inserts still work (plpgsql runs on PGlite)', async () => {
    const engine = await openEngine('pglite');
    try {
      const { rows } = await engine.database.query<{ tgname: string }>(
        sql`select tgname from pg_trigger where tgname = 'outbox_notify'`,
      );
      expect(rows).toEqual([{ tgname: 'outbox_notify' }]);
      await engine.database.query(sql`
        insert into messaging.outbox (event_id, type, version, aggregate_id, aggregate_version, data, metadata, occurred_at)
        values (${randomUUID()}, 'users.user.created', 1, ${randomUUID()}, 1, '{}', '{}', now())`);
      const count = await engine.database.query<{ n: number }>(sql`select count(*)::int as n from messaging.outbox`);
      expect(count.rows[0]?.n).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it("wakes the relay through PGlite's own NOTIFY (listenTo), well before a minute-long poll", async () => {
    const engine = await openEngine('pglite');
    const transport = new Recording();
    const relay = new OutboxRelay(engine.database, transport as unknown as MessageTransport, logger, {
      pollMs: 60_000,
    });
    const listener = await listenTo(engine.database, null, OUTBOX_CHANNEL, () => relay.nudge(), logger);
    relay.start();
    try {
      // The relay's first round finds nothing and sleeps; only the notice can wake it.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await engine.database.query(sql`
        insert into messaging.outbox (event_id, type, version, aggregate_id, aggregate_version, data, metadata, occurred_at)
        values (${randomUUID()}, 'users.user.created', 1, ${randomUUID()}, 1, '{}', '{}', now())`);
      expect(await within(10_000, () => transport.published[0]), 'woken by NOTIFY').toBeDefined();
    } finally {
      await listener.stop();
      await relay.stop();
      await engine.close();
    }
  }, 30_000);
});
