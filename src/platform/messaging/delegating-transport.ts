import type { Message } from './message.js';
import type { ConsumeOptions, DeliveryHandler, MessageTransport, Subscription } from './transport.js';

/**
 * A transport that forwards everything to another one: decorators (metrics, tracing) extend it and
 * override only what they observe, so each stays about its one concern.
 */
export abstract class DelegatingTransport implements MessageTransport {
  protected constructor(protected readonly inner: MessageTransport) {}

  get name(): string {
    return this.inner.name;
  }

  get transactional(): boolean {
    return this.inner.transactional;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(queue: string, message: Message): Promise<void> {
    return this.inner.send(queue, message);
  }

  publish(message: Message): Promise<void> {
    return this.inner.publish(message);
  }

  consume(queue: string, handler: DeliveryHandler, options: ConsumeOptions): Promise<Subscription> {
    return this.inner.consume(queue, handler, options);
  }

  depth(queue: string): Promise<number> {
    return this.inner.depth(queue);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
