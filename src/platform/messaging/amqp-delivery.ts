import type { Channel, ConsumeMessage } from 'amqplib';
import { AMQP_RETRY_TIERS_MS } from './amqp-topology.js';
import type { Delivery } from './message.js';
import type { DeliveryHandler, Disposition } from './transport.js';

export interface Consumer {
  readonly queue: string;
  readonly handler: DeliveryHandler;
  readonly concurrency: number;
  channel: Channel | null;
  tag: string | null;
  readonly inFlight: Set<Promise<void>>;
  /** Deliveries beyond `concurrency` (prefetch is twice that) wait here for a free slot. */
  readonly waiting: (() => void)[];
  active: number;
  stopped: boolean;
}

/** Publishes a copy of the delivery to the retry tier of `tierMs`, confirmed, with these headers. */
export type ParkForRetry = (tierMs: number, headers: Record<string, string>) => Promise<void>;

/** Acts on a handler's disposition: ack, dead-letter (the broker routes it), or park a copy, then ack. */
export async function settle(channel: Channel, raw: ConsumeMessage, disposition: Disposition, park: ParkForRetry) {
  switch (disposition.outcome) {
    case 'ack':
      channel.ack(raw);
      return;
    case 'dead-letter':
      channel.nack(raw, false, false);
      return;
    case 'retry': {
      const tier = AMQP_RETRY_TIERS_MS.find((ms) => ms >= disposition.delayMs) ?? AMQP_RETRY_TIERS_MS.at(-1)!;
      const retryCount = Number(raw.properties.headers?.['retry-count'] ?? 0) + 1;
      // Park a copy in the retry tier (confirmed) before acking, so the message exists somewhere at every moment.
      await park(tier, { 'retry-count': String(retryCount), 'last-error': disposition.reason.slice(0, 500) });
      channel.ack(raw);
      return;
    }
  }
}

export function toDelivery(queue: string, raw: ConsumeMessage): Delivery {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw.properties.headers ?? {})) {
    // `x-` headers belong to the broker (delivery count, death history) and are not re-sent.
    if (!key.startsWith('x-') && (typeof value === 'string' || typeof value === 'number')) headers[key] = String(value);
  }
  const redeliveries = Number(raw.properties.headers?.['x-delivery-count'] ?? 0);
  const retries = Number(headers['retry-count'] ?? 0);
  return {
    queue,
    messageId: String(raw.properties.messageId),
    type: String(raw.properties.type),
    correlationId: String(raw.properties.correlationId ?? raw.properties.messageId),
    timestamp: new Date(Number(raw.properties.timestamp ?? 0) * 1000),
    headers,
    body: JSON.parse(raw.content.toString('utf8')) as unknown,
    deliveryCount: 1 + redeliveries + retries,
  };
}
