import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { Logger } from '../logging/logger.js';
import type { Message } from './message.js';
import { messageContext, type MessageContext } from './message-context.js';
import type { MessageTransport } from './transport.js';
import { envelopeOf, type OutboxRow } from './outbox-row.js';

/** Any constant shared by every relay: the advisory lock that keeps one relay active at a time. */
const RELAY_LOCK_KEY = 7426002;

/** The channel the `outbox_notify` trigger (migration 0002) notifies when outbox rows commit. */
export const OUTBOX_CHANNEL = 'portico_outbox';

const BLOCKED_RECHECK_MS = 100;

export interface OutboxRelayOptions {
  readonly batchSize?: number;
  readonly pollMs?: number;
  /**
   * The least time from one batch's start to the next (default 20 ms). Under load, events that
   * commit meanwhile go together: one batch of many instead of a batch (five statements and a
   * transaction) per event. An event that comes after a quiet spell still goes at once.
   */
  readonly batchIntervalMs?: number;
}

/**
 * Publishes outbox rows in commit order. A row is taken only when its transaction id is below
 * the oldest transaction still running (`pg_snapshot_xmin`): a transaction that began earlier but
 * commits later can still add a smaller position, and skipping past it would reorder events.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** A nudge that came while a batch ran: its rows may have been invisible to that batch. */
  private nudged = false;
  /** Unpublished rows remained after the last batch (held back by an older open transaction, or new). */
  private blocked = false;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly batchIntervalMs: number;
  private lastBatchAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly database: Database,
    private readonly transport: MessageTransport,
    private readonly logger: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 200;
    this.pollMs = options.pollMs ?? 100;
    this.batchIntervalMs = options.batchIntervalMs ?? 20;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Something was just committed to the outbox: look now instead of at the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const spacing = this.lastBatchAt + this.batchIntervalMs - performance.now();
      if (spacing > 0) await this.pause(spacing, false);
      if (!this.running) break;
      this.lastBatchAt = performance.now();
      this.nudged = false;
      let published = 0;
      try {
        published = await this.relayBatch();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.logger.warn({ err: error }, 'outbox relay: batch failed, will retry');
      }
      // After a failure only stop() cuts the wait short: nudges would turn an outage into a hot loop.
      if (failures > 0) await this.pause(Math.min(this.pollMs * 2 ** failures, 5_000), false);
      else if (published < this.batchSize && !this.nudged) {
        // Rows held back by an older open transaction (in any database of the cluster) get no
        // NOTIFY when it ends, so look again soon rather than at the next poll. Rows that commit
        // later wake the relay themselves (NOTIFY, or a nudge from this process).
        const wait = this.blocked ? Math.min(this.pollMs, BLOCKED_RECHECK_MS) : this.pollMs;
        await this.pause(wait, true);
      }
    }
  }

  private async pause(ms: number, wakeOnNudge: boolean): Promise<void> {
    // stop() during a batch found no pause to cut short: the loop must not start one after it.
    if (!this.running) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        if (wakeOnNudge || !this.running) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    this.wake = null;
  }

  /** Publishes one batch; returns how many events left. Exposed for tests and the CLI. */
  async relayBatch(): Promise<number> {
    return this.database.transaction(async () => {
      const lock = await this.database.query<{ locked: boolean }>(
        sql`select pg_try_advisory_xact_lock(${RELAY_LOCK_KEY}) as locked`,
      );
      if (!lock.rows[0]?.locked) {
        this.blocked = false;
        return 0;
      }
      const result = await this.database.query<OutboxRow>(sql`
        select position, event_id, type, version, aggregate_id, aggregate_version, data, metadata, occurred_at
          from messaging.outbox
         where published_at is null
           and tx_id < pg_snapshot_xmin(pg_current_snapshot())
         order by position
         limit ${this.batchSize}`);
      const rows = result.rows;
      if (rows.length === 0) {
        this.blocked = await this.unpublishedRemain();
        return 0;
      }
      await this.publishAll(rows);
      const positions = sql.join(
        rows.map((r) => sql`${Number(r.position)}`),
        sql`, `,
      );
      // Marks the batch and, in the same statement, looks whether unpublished rows remain (its
      // snapshot still shows the batch unpublished, hence the exclusion).
      const remaining = await this.database.query<{ waiting: boolean }>(sql`
        with marked as (
          update messaging.outbox set published_at = now() where position in (${positions}) returning position
        )
        select exists (
          select 1 from messaging.outbox where published_at is null and position not in (${positions})
        ) as waiting`);
      this.blocked = remaining.rows[0]?.waiting === true;
      return rows.length;
    });
  }

  private async unpublishedRemain(): Promise<boolean> {
    const waiting = await this.database.query<{ waiting: boolean }>(
      sql`select exists (select 1 from messaging.outbox where published_at is null) as waiting`,
    );
    return waiting.rows[0]?.waiting === true;
  }

  /**
   * A broker gets the batch in waves and the relay awaits each wave's confirms together: one round
   * trip for many events instead of one each. A wave holds at most one event per aggregate (its
   * next one waits for the next wave), so an aggregate's event never leaves before the one it
   * follows was confirmed: a failure cannot reorder an aggregate's events. If any is not confirmed
   * none is marked published and the batch goes again (the inboxes drop what arrives twice). A
   * transactional transport (the embedded queue) writes through this transaction, one by one.
   */
  private async publishAll(rows: readonly OutboxRow[]): Promise<void> {
    const publish = (row: OutboxRow) => {
      const message = toMessage(row);
      // In the event's context, so that what is logged meanwhile carries its ids and trace.
      return messageContext.run(relayContext(message), async () => {
        await this.transport.publish(message);
        this.logger.debug({ type: message.type }, 'event published');
      });
    };
    if (this.transport.transactional) {
      for (const row of rows) await publish(row);
      return;
    }
    for (const wave of waves(rows)) {
      const settled = await Promise.allSettled(wave.map(publish));
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }
}

/** Rows in position order, split so that each wave has an aggregate's events at most once. */
function waves(rows: readonly OutboxRow[]): OutboxRow[][] {
  const result: OutboxRow[][] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const wave = seen.get(row.aggregate_id) ?? 0;
    seen.set(row.aggregate_id, wave + 1);
    (result[wave] ??= []).push(row);
  }
  return result;
}

/** The wire form of an event (DESIGN.md §5): versioned plain JSON, never a class name. */
export function toMessage(row: OutboxRow): Message {
  const occurredAt = new Date(row.occurred_at);
  return {
    messageId: row.event_id,
    type: row.type,
    correlationId: row.metadata.correlationId ?? row.event_id,
    timestamp: occurredAt,
    headers: {
      'aggregate-id': row.aggregate_id,
      'aggregate-version': String(row.aggregate_version),
      position: String(row.position),
      ...(row.metadata.causationId && { 'causation-id': row.metadata.causationId }),
      ...(row.metadata.traceparent && { traceparent: row.metadata.traceparent }),
      ...(row.metadata.traceparent && row.metadata.tracestate && { tracestate: row.metadata.tracestate }),
    },
    body: envelopeOf(row),
  };
}

/** The relay works on behalf of the event's cause: its correlation, its trace, the event's id. */
function relayContext(message: Message): MessageContext {
  const { traceparent, tracestate } = message.headers;
  return {
    correlationId: message.correlationId,
    causationId: message.headers['causation-id'] ?? message.messageId,
    eventId: message.messageId,
    ...(traceparent && { traceparent }),
    ...(tracestate && { tracestate }),
  };
}
