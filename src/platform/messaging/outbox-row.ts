import type { EventEnvelope } from './event-envelope.js';

/** A `messaging.outbox` row as pg returns it (bigint positions may arrive as strings). */
export interface OutboxRow {
  position: string | number;
  event_id: string;
  type: string;
  version: number;
  aggregate_id: string;
  aggregate_version: number;
  data: Record<string, unknown>;
  metadata: { correlationId?: string; causationId?: string; traceparent?: string; tracestate?: string };
  occurred_at: string | Date;
}

/** The columns an event envelope is made of. */
export type EnvelopeColumns = Pick<
  OutboxRow,
  'type' | 'version' | 'aggregate_id' | 'aggregate_version' | 'data' | 'occurred_at'
>;

/** The event as every consumer receives it (DESIGN.md §5): versioned plain JSON, never a class name. */
export function envelopeOf(row: EnvelopeColumns): EventEnvelope {
  return {
    type: row.type,
    version: row.version,
    occurredAt: new Date(row.occurred_at).toISOString(),
    aggregateId: row.aggregate_id,
    aggregateVersion: row.aggregate_version,
    data: row.data,
  };
}
