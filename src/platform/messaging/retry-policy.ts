import type { Logger } from '../logging/logger.js';
import type { Delivery } from './message.js';
import type { DeliveryHandler } from './transport.js';

/** Delayed retry tiers for transient failures, then the dead-letter queue. */
export const RETRY_DELAYS_MS = [5_000, 30_000, 300_000] as const;

/** The message can never be processed (unparseable, unknown type): straight to the DLQ. */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

/** Not yet processable, but soon (an event that arrived before its predecessor, a lost race). */
export class RetrySoonError extends Error {
  override readonly name = 'RetrySoonError';
  constructor(
    message: string,
    readonly delayMs = 250,
  ) {
    super(message);
  }
}

export interface RetryPolicyOptions {
  /** Waits before each retry of a transient failure; default RETRY_DELAYS_MS (5 s, 30 s, 5 min). */
  readonly delaysMs?: readonly number[];
  /** Deliveries after which a transiently failing message is dead-lettered. */
  readonly maxDeliveries?: number;
  /** Deliveries after which a message that keeps asking to "retry soon" is dead-lettered. */
  readonly maxSoonDeliveries?: number;
}

/**
 * Turns a handler that throws into dispositions: success acks; poison dead-letters at once;
 * anything else is retried on the delay tiers and dead-lettered when they run out. Never
 * catch-and-log: a message is acked only after its effect committed.
 */
export function withRetryPolicy(
  handle: (delivery: Delivery) => Promise<void>,
  logger: Logger,
  options: RetryPolicyOptions = {},
): DeliveryHandler {
  const delays = options.delaysMs?.length ? options.delaysMs : RETRY_DELAYS_MS;
  const maxDeliveries = options.maxDeliveries ?? delays.length + 1;
  const maxSoon = options.maxSoonDeliveries ?? 200;
  return async (delivery) => {
    try {
      await handle(delivery);
      return { outcome: 'ack' };
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const log = { err: error, messageId: delivery.messageId, queue: delivery.queue, type: delivery.type };
      if (error instanceof PoisonMessageError) {
        logger.error(log, 'poison message: dead-lettered');
        return { outcome: 'dead-letter', reason };
      }
      if (error instanceof RetrySoonError) {
        if (delivery.deliveryCount >= maxSoon) return { outcome: 'dead-letter', reason };
        return { outcome: 'retry', delayMs: error.delayMs, reason };
      }
      if (delivery.deliveryCount >= maxDeliveries) {
        logger.error({ ...log, deliveries: delivery.deliveryCount }, 'retries exhausted: dead-lettered');
        return { outcome: 'dead-letter', reason };
      }
      const delayMs = delays[Math.min(delivery.deliveryCount - 1, delays.length - 1)]!;
      logger.warn({ ...log, delayMs }, 'transient failure: will retry');
      return { outcome: 'retry', delayMs, reason };
    }
  };
}
