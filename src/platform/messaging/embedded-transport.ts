import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import type { Delivery, Message } from './message.js';
import { StatementBatch } from './statement-batch.js';
import { deadLetterQueue, type Topology } from './topology.js';
import type { ConsumeOptions, DeliveryHandler, Disposition, MessageTransport, Subscription } from './transport.js';

interface QueueRow {
  id: string | number;
  queue: string;
  message_id: string;
  type: string;
  headers: Record<string, string>;
  body: unknown;
  deliveries: number;
  created_at: string | Date;
}

/** How long a consumer may hold a message before it is handed to another. */
const LEASE_MS = 30_000;

export interface EmbeddedTransportOptions {
  /** Fallback poll when no in-process wake-up arrives (another process published). */
  readonly pollMs?: number;
  /** Release every lease at start: right when this process is the only consumer (PGlite). */
  readonly releaseLeasesOnStart?: boolean;
}

/**
 * A durable queue in the service's own database, so embedded mode needs no broker and an
 * accepted message survives `kill -9`. A delivery is a leased row: ack deletes it, retry moves
 * its `available_at`, dead-letter moves it to `<queue>.dlq`. Written by hand because no library
 * offers this on both PGlite and PostgreSQL through one connection abstraction.
 */
export class EmbeddedTransport implements MessageTransport {
  readonly name = 'embedded';
  readonly transactional = true;
  private readonly wakeups = new EventEmitter().setMaxListeners(0);
  private readonly pollMs: number;
  /** Acks of deliveries that finish together share one delete (outside any transaction). */
  private readonly acks = new StatementBatch<string | number>((ids) =>
    this.database.detached(async () => {
      await this.database.query(sql`
        delete from messaging.queue_messages where id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`);
    }),
  );

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    /** Which queues an event is copied to (derived from the contexts' manifests). */
    private readonly topology: Topology,
    private readonly options: EmbeddedTransportOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 200;
  }

  async start(): Promise<void> {
    if (this.options.releaseLeasesOnStart) {
      await this.database.query(sql`
        update messaging.queue_messages set lease_until = null where lease_until is not null`);
    }
  }

  async send(queue: string, message: Message): Promise<void> {
    await this.insert([queue], message);
  }

  async publish(message: Message): Promise<void> {
    await this.insert(this.topology.queuesForEvent(message.type), message);
  }

  private async insert(queues: readonly string[], message: Message): Promise<void> {
    for (const queue of queues) {
      await this.database.query(sql`
        insert into messaging.queue_messages (queue, message_id, type, headers, body, created_at)
        values (${queue}, ${message.messageId}, ${message.type},
                ${JSON.stringify({ ...message.headers, 'correlation-id': message.correlationId })}::jsonb,
                ${JSON.stringify(message.body)}::jsonb, ${message.timestamp.toISOString()})`);
    }
    // Wake local consumers now; when inside a transaction the row is visible only after commit,
    // and the consumer's short poll covers that gap.
    for (const queue of queues) setImmediate(() => this.wakeups.emit(queue));
  }

  async consume(queue: string, handler: DeliveryHandler, options: ConsumeOptions): Promise<Subscription> {
    let running = true;
    const inFlight = new Set<Promise<void>>();
    let wake: (() => void) | null = null;
    // A delivery finishing frees a slot, but only a loop that waits for one needs to hear of it:
    // waking the others would send one lease query per settled message, to find nothing new.
    let full = false;
    // Set by a wake-up that came while no one waited (during a lease): look again before sleeping.
    let signalled = false;
    const onWake = (): void => {
      signalled = true;
      wake?.();
    };
    this.wakeups.on(queue, onWake);

    const loop = async (): Promise<void> => {
      while (running) {
        const free = options.concurrency - inFlight.size;
        signalled = false;
        let rows: QueueRow[] = [];
        if (free > 0) {
          try {
            rows = await this.lease(queue, free);
          } catch (error) {
            this.logger.warn({ err: error, queue }, 'embedded queue: lease failed, retrying');
          }
        }
        for (const row of rows) {
          const job = this.deliver(row, handler).finally(() => {
            inFlight.delete(job);
            if (full) wake?.();
          });
          inFlight.add(job);
        }
        // Fewer rows than asked for: the queue is drained, and another lease now would find nothing.
        full = inFlight.size >= options.concurrency;
        if (full || (rows.length < free && !signalled)) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.pollMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
        }
      }
    };
    const looping = loop();

    return {
      stop: async () => {
        running = false;
        wake?.();
        this.wakeups.off(queue, onWake);
        await looping;
        await Promise.allSettled([...inFlight]);
      },
    };
  }

  private async lease(queue: string, limit: number): Promise<QueueRow[]> {
    const result = await this.database.query<QueueRow>(sql`
      update messaging.queue_messages
         set lease_until = now() + make_interval(secs => ${LEASE_MS / 1000}),
             deliveries = deliveries + 1
       where id in (select id from messaging.queue_messages
                     where queue = ${queue} and available_at <= now()
                       and (lease_until is null or lease_until < now())
                     order by id
                     limit ${limit}
                     for update skip locked)
      returning id, queue, message_id, type, headers, body, deliveries, created_at`);
    return result.rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  private async deliver(row: QueueRow, handler: DeliveryHandler): Promise<void> {
    const { 'correlation-id': correlationId, ...headers } = row.headers;
    const delivery: Delivery = {
      queue: row.queue,
      messageId: row.message_id,
      type: row.type,
      correlationId: correlationId ?? row.message_id,
      timestamp: new Date(row.created_at),
      headers,
      body: row.body,
      deliveryCount: row.deliveries,
    };
    let disposition: Disposition;
    try {
      disposition = await handler(delivery);
    } catch (error) {
      // Handlers report outcomes as values; a throw here is a bug, so keep the message and retry.
      this.logger.error({ err: error, messageId: row.message_id }, 'embedded queue: handler threw');
      disposition = { outcome: 'retry', delayMs: 5_000, reason: String(error) };
    }
    await this.settle(row, disposition).catch((error: unknown) => {
      // The lease will expire and the message comes back: at-least-once, never lost.
      this.logger.warn({ err: error, messageId: row.message_id }, 'embedded queue: settle failed');
    });
  }

  private async settle(row: QueueRow, disposition: Disposition): Promise<void> {
    switch (disposition.outcome) {
      case 'ack':
        await this.acks.add(row.id);
        return;
      case 'retry':
        await this.database.query(sql`
          update messaging.queue_messages
             set lease_until = null, last_error = ${disposition.reason},
                 available_at = now() + make_interval(secs => ${disposition.delayMs / 1000})
           where id = ${row.id}`);
        if (disposition.delayMs <= this.pollMs) setImmediate(() => this.wakeups.emit(row.queue));
        return;
      case 'dead-letter':
        await this.database.query(sql`
          update messaging.queue_messages
             set queue = ${deadLetterQueue(row.queue)}, lease_until = null, available_at = now(),
                 last_error = ${disposition.reason}
           where id = ${row.id}`);
        return;
    }
  }

  async depth(queue: string): Promise<number> {
    const result = await this.database.query<{ n: number }>(sql`
      select count(*)::int as n from messaging.queue_messages
       where queue = ${queue} and (lease_until is null or lease_until < now())`);
    return Number(result.rows[0]?.n ?? 0);
  }

  async ping(): Promise<void> {
    await this.database.ping();
  }

  async close(): Promise<void> {
    await sleep(0);
  }
}
