import { sql } from 'drizzle-orm';
import type { EventOutbox } from '../../shared/application/ports/unit-of-work.js';
import type { IdGenerator } from '../../shared/application/ports/id-generator.js';
import type { DomainEvent } from '../../shared/domain/domain-event.js';
import type { Database } from '../db/database.js';
import { currentTraceHeaders } from '../observability/tracing/trace-context.js';
import { messageContext } from './message-context.js';

/**
 * Appends events to `messaging.outbox` in the caller's transaction. The correlation of the work
 * now running is attached here, so use cases stay free of transport concerns, and so is its
 * trace context: the active span's (the worker's CONSUMER span) when tracing is on, so the relay
 * continues that trace; otherwise the `traceparent` the command arrived with, passed through.
 */
export class PostgresEventOutbox implements EventOutbox {
  private react: (event: DomainEvent) => Promise<void> = async () => {};

  constructor(
    private readonly database: Database,
    private readonly ids: IdGenerator,
  ) {}

  /** The contexts' in-transaction reactions (bound once they are known, after the outbox exists). */
  reactWith(react: (event: DomainEvent) => Promise<void>): void {
    this.react = react;
  }

  async append(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (!this.database.inTransaction) throw new Error('events must be appended inside a transaction');
    const context = messageContext.current();
    const metadata = JSON.stringify({
      ...(context && { correlationId: context.correlationId, causationId: context.causationId }),
      ...currentTraceHeaders({
        ...(context?.traceparent && { traceparent: context.traceparent }),
        ...(context?.tracestate && { tracestate: context.tracestate }),
      }),
    });
    for (const event of events) {
      await this.database.query(sql`
        insert into messaging.outbox
          (event_id, type, version, aggregate_id, aggregate_version, data, metadata, occurred_at)
        values (${this.ids.next()}, ${event.type}, ${event.version}, ${event.aggregateId},
                ${event.aggregateVersion}, ${JSON.stringify(event.data)}::jsonb, ${metadata}::jsonb,
                ${event.occurredAt.toISOString()})`);
      await this.react(event);
    }
  }
}
