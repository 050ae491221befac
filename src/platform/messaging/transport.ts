import type { Delivery, Message } from './message.js';

/** What a handler decides about a delivery. The consumer acts on it; handlers never ack themselves. */
export type Disposition =
  | { readonly outcome: 'ack' }
  | { readonly outcome: 'retry'; readonly delayMs: number; readonly reason: string }
  | { readonly outcome: 'dead-letter'; readonly reason: string };

export type DeliveryHandler = (delivery: Delivery) => Promise<Disposition>;

export interface Subscription {
  /** Stops taking new messages and waits for the ones in flight to finish. */
  stop(): Promise<void>;
}

export interface ConsumeOptions {
  readonly concurrency: number;
}

/**
 * Port: moves commands and events between roles. Adapters: the embedded durable queue (same
 * database) and RabbitMQ. `send`/`publish` resolve only once the message is durable.
 */
export interface MessageTransport {
  readonly name: string;
  /**
   * True when `send`/`publish` write through the current database transaction (the embedded
   * queue): the message then commits or rolls back with it.
   */
  readonly transactional: boolean;
  /** Declares queues and bindings; idempotent. */
  start(): Promise<void>;
  send(queue: string, message: Message): Promise<void>;
  publish(message: Message): Promise<void>;
  consume(queue: string, handler: DeliveryHandler, options: ConsumeOptions): Promise<Subscription>;
  /** Messages waiting (not in flight) in a queue. */
  depth(queue: string): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
