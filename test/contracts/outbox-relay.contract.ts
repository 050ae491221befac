import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import pino from 'pino';
import { beforeEach, expect, it, vi } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import type { DomainEvent } from '../../src/shared/domain/domain-event.js';
import type { Message } from '../../src/platform/messaging/message.js';
import { messageContext } from '../../src/platform/messaging/message-context.js';
import { OutboxRelay } from '../../src/platform/messaging/outbox-relay.js';
import { PostgresEventOutbox } from '../../src/platform/messaging/postgres-event-outbox.js';
import type { MessageTransport, Subscription } from '../../src/platform/messaging/transport.js';
import { UuidV7Generator } from '../../src/platform/system/uuid-v7-generator.js';
import { gate, type Gate } from '../support/async.js';
import type { Engine } from '../support/contract.js';
import { event } from './event-outbox.contract.js';

export interface OutboxRelaySubject {
  readonly database: Database;
  /** The database's connection string (PostgreSQL only): for a second, independent connection. */
  readonly url: string | null;
}

/** Records what the relay publishes; can be made to fail or to block. */
class RecordingTransport implements MessageTransport {
  readonly name = 'recording';
  readonly transactional = false;
  readonly published: Message[] = [];
  failNext = false;
  hold: Gate | null = null;
  readonly entered = gate();

  async publish(message: Message): Promise<void> {
    this.entered.open();
    if (this.hold) await this.hold.opened;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('broker unavailable');
    }
    this.published.push(message);
  }

  async start(): Promise<void> {}
  async send(): Promise<void> {
    throw new Error('the relay only publishes');
  }
  async consume(): Promise<Subscription> {
    throw new Error('the relay only publishes');
  }
  async depth(): Promise<number> {
    return 0;
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

const logger = pino({ level: 'silent' });

/**
 * `engine` tells whether the database serves several connections at once (PostgreSQL; PGlite has
 * one), so a test can hold a transaction open on one while the relay works on another.
 */
export function outboxRelayContract(t: OutboxRelaySubject, engine: Engine): void {
  const concurrentConnections = engine === 'postgres';
  const outbox = (): PostgresEventOutbox => new PostgresEventOutbox(t.database, new UuidV7Generator());
  let transport: RecordingTransport;
  beforeEach(async () => {
    await t.database.query(sql`delete from messaging.outbox`);
    transport = new RecordingTransport();
  });

  const relay = (batchSize?: number): OutboxRelay =>
    new OutboxRelay(t.database, transport, logger, batchSize === undefined ? {} : { batchSize });
  const commit = (...events: DomainEvent[]): Promise<void> => t.database.transaction(() => outbox().append(events));
  const published = (): number[] => transport.published.map((m) => Number(m.headers.position));
  const positions = async (): Promise<number[]> =>
    (
      await t.database.query<{ p: number }>(sql`select position::int as p from messaging.outbox order by position`)
    ).rows.map((r) => r.p);
  const unpublished = async (): Promise<number> =>
    (
      await t.database.query<{ n: number }>(
        sql`select count(*)::int as n from messaging.outbox where published_at is null`,
      )
    ).rows[0]!.n;
  /**
   * Runs batches until `total` events are out and returns the size of each batch that published.
   * Transaction ids are server-wide: on a shared PostgreSQL a transaction in another database
   * holds the relay back for a moment, and an empty batch is then no failure.
   */
  const drain = async (r: OutboxRelay, total: number): Promise<number[]> => {
    const batches: number[] = [];
    const deadline = Date.now() + 10_000;
    while (transport.published.length < total) {
      if (Date.now() > deadline) throw new Error(`only ${transport.published.length} of ${total} events relayed`);
      const n = await r.relayBatch();
      if (n > 0) batches.push(n);
      else await sleep(20);
    }
    return batches;
  };

  it('publishes unpublished events in position order and marks them, once', async () => {
    await commit(event(1), event(2));
    await commit(event(3));
    const r = relay();

    await drain(r, 3);

    expect(published()).toEqual(await positions());
    expect(transport.published.map((m) => m.body)).toMatchObject([
      { aggregateVersion: 1 },
      { aggregateVersion: 2 },
      { aggregateVersion: 3 },
    ]);
    expect(await unpublished()).toBe(0);
    expect(await r.relayBatch()).toBe(0);
    expect(transport.published).toHaveLength(3);
  });

  it('publishes each event in its wire form: ids, correlation, causation, trace and the envelope', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const e = event(1, { type: 'users.user.created', data: { email: 'a@example.com', roles: ['user'] } });
    await messageContext.run({ correlationId: 'corr-1', causationId: 'command-1', traceparent }, () => commit(e));
    await commit(event(2));

    await drain(relay(), 2);

    const [position] = await positions();
    const { rows } = await t.database.query<{ event_id: string }>(
      sql`select event_id from messaging.outbox order by position`,
    );
    const [first, second] = transport.published;
    expect(first).toEqual({
      messageId: rows[0]!.event_id,
      type: 'users.user.created',
      correlationId: 'corr-1',
      timestamp: e.occurredAt,
      headers: {
        'aggregate-id': e.aggregateId,
        'aggregate-version': '1',
        position: String(position),
        'causation-id': 'command-1',
        traceparent,
      },
      body: {
        type: 'users.user.created',
        version: 1,
        occurredAt: e.occurredAt.toISOString(),
        aggregateId: e.aggregateId,
        aggregateVersion: 1,
        data: e.data,
      },
    });
    // Without a surrounding context the event is its own correlation.
    expect(second!.correlationId).toBe(rows[1]!.event_id);
    expect(second!.headers).not.toHaveProperty('causation-id');
  });

  it('publishes at most batchSize events per batch', async () => {
    await commit(event(1), event(2), event(3), event(4), event(5));

    expect(await drain(relay(2), 5)).toEqual([2, 2, 1]);
    expect(published()).toEqual(await positions());
  });

  it('marks nothing when publishing fails, and publishes it all, in order, on the next batch', async () => {
    await commit(event(1), event(2), event(3));
    const r = relay();
    transport.failNext = true;

    // An empty batch (held back by another database's transaction) publishes nothing: try again.
    await vi.waitFor(() => expect(r.relayBatch()).rejects.toThrow(/broker unavailable/), {
      timeout: 10_000,
      interval: 20,
    });
    expect(await unpublished()).toBe(3);

    await drain(r, 3);
    expect(published()).toEqual(await positions());
    expect(await unpublished()).toBe(0);
  });

  it("sends other aggregates' events without waiting, but an aggregate's next only once the one before is confirmed", async () => {
    const other = '0190a5b4-0000-7000-8000-0000000000cc';
    await commit(event(1), event(1, { aggregateId: other }), event(2));
    const [a1, b1, a2] = await positions();
    const r = relay();
    transport.failNext = true;

    await vi.waitFor(() => expect(r.relayBatch()).rejects.toThrow(/broker unavailable/), {
      timeout: 10_000,
      interval: 20,
    });
    // a1 failed; b1 went in the same round trip; a2 was never sent ahead of a1.
    expect(published()).toEqual([b1]);

    await drain(r, 3);
    expect(published()).toEqual([b1, a1, b1, a2]);
    expect(await unpublished()).toBe(0);
  });

  it('lets only one of two concurrent relays publish: no event goes out twice', async () => {
    await commit(event(1), event(2), event(3));
    transport.hold = gate();
    let first = relay().relayBatch();
    // Wait until one relay is inside its batch (retry while another database's transaction holds it back).
    while ((await Promise.race([transport.entered.opened.then(() => 'publishing'), first])) !== 'publishing') {
      await sleep(20);
      first = relay().relayBatch();
    }

    const second = relay().relayBatch();
    await sleep(100);
    transport.hold.open();
    const counts = await Promise.all([first, second]);

    expect(counts[0]).toBe(3);
    expect(counts[1]).toBe(0);
    expect(published()).toEqual(await positions());
  });

  it.skipIf(!concurrentConnections)(
    'publishes in commit order: a transaction still open holds back every position after its own',
    async () => {
      const r = relay();
      await commit(event(1));
      await drain(r, 1);

      const open = new pg.Client({ connectionString: t.url! });
      await open.connect();
      try {
        await open.query('begin');
        const inserted = await open.query<{ position: string }>(
          `insert into messaging.outbox (event_id, type, version, aggregate_id, aggregate_version, data, metadata, occurred_at)
           values ($1, 'users.user.profile_updated', 1, $2, 2, '{}', '{}', now())
           returning position`,
          [randomUUID(), event(2).aggregateId],
        );
        const openPosition = Number(inserted.rows[0]!.position);
        // Committed after the open transaction took its position: a larger one.
        await commit(event(3));
        const [, laterPosition] = await positions();
        expect(laterPosition).toBeGreaterThan(openPosition);

        for (let i = 0; i < 3; i += 1) expect(await r.relayBatch()).toBe(0);
        expect(transport.published).toHaveLength(1);

        await open.query('commit');
        await drain(r, 3);
      } finally {
        await open.query('rollback').catch(() => undefined);
        await open.end();
      }

      const all = await positions();
      expect(published()).toEqual(all);
      expect(transport.published.map((m) => m.headers['aggregate-version'])).toEqual(['1', '2', '3']);
    },
  );

  it('sends an event after a quiet spell at once, and starts batches no closer than the batch interval', async () => {
    const intervalMs = 400;
    const r = new OutboxRelay(t.database, transport, logger, { batchIntervalMs: intervalMs, pollMs: 60_000 });
    const batches: { startedAt: number; published: number }[] = [];
    const relayBatch = r.relayBatch.bind(r);
    vi.spyOn(r, 'relayBatch').mockImplementation(async () => {
      const startedAt = performance.now();
      const n = await relayBatch();
      batches.push({ startedAt, published: n });
      return n;
    });
    r.start();
    try {
      await sleep(intervalMs + 100);
      const quietUntil = performance.now();
      await commit(event(1));
      r.nudge();
      await vi.waitFor(() => expect(transport.published).toHaveLength(1), { timeout: 5_000, interval: 5 });
      expect(performance.now() - quietUntil).toBeLessThan(intervalMs - 100);

      await commit(event(2));
      r.nudge();
      await commit(event(3));
      r.nudge();
      await vi.waitFor(() => expect(transport.published).toHaveLength(3), { timeout: 5_000, interval: 5 });
    } finally {
      await r.stop();
    }

    const gaps = batches.slice(1).map((b, i) => b.startedAt - batches[i]!.startedAt);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(intervalMs - 1);
    expect(published()).toEqual(await positions());
    // Another database's transaction can hold a row back for a batch on a shared PostgreSQL; PGlite has none.
    if (!concurrentConnections) expect(batches.map((b) => b.published).filter((n) => n > 0)).toEqual([1, 2]);
  });

  it('stops at once when stopped during a batch, not after a poll interval', async () => {
    await commit(event(1));
    transport.hold = gate();
    const r = new OutboxRelay(t.database, transport, logger, { pollMs: 60_000 });
    r.start();
    await transport.entered.opened;
    const stopping = r.stop();
    transport.hold.open();
    const stopped = await Promise.race([stopping.then(() => 'stopped'), sleep(5_000).then(() => 'still running')]);

    expect(stopped).toBe('stopped');
  });

  it('keeps the events after publishing them (projection rebuilds replay them)', async () => {
    await commit(event(1), event(2));

    await drain(relay(), 2);

    expect(await positions()).toHaveLength(2);
  });
}
