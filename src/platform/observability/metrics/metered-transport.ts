import type { Message } from '../../messaging/message.js';
import { DelegatingTransport } from '../../messaging/delegating-transport.js';
import type { ConsumeOptions, DeliveryHandler, MessageTransport, Subscription } from '../../messaging/transport.js';
import type { Metrics } from './metrics.js';

/** Events go to one exchange (topic-routed), so their destination is that, not each bound queue. */
export const EVENTS_DESTINATION = 'events';

/**
 * Counts what crosses the transport port, whichever adapter is behind it: messages published (and
 * whether the transport accepted them) and deliveries consumed (by the disposition the handler chose).
 */
export class MeteredTransport extends DelegatingTransport {
  constructor(
    inner: MessageTransport,
    private readonly metrics: Metrics,
  ) {
    super(inner);
  }

  override send(queue: string, message: Message): Promise<void> {
    return this.counted(queue, this.inner.send(queue, message));
  }

  override publish(message: Message): Promise<void> {
    return this.counted(EVENTS_DESTINATION, this.inner.publish(message));
  }

  override consume(queue: string, handler: DeliveryHandler, options: ConsumeOptions): Promise<Subscription> {
    return this.inner.consume(
      queue,
      async (delivery) => {
        try {
          const disposition = await handler(delivery);
          this.metrics.consumed.inc({ queue, status: disposition.outcome.replace('-', '_') });
          if (disposition.outcome === 'dead-letter') {
            this.metrics.errors.inc({ component: 'consumer', code: 'dead_lettered' });
          }
          return disposition;
        } catch (error) {
          this.metrics.consumed.inc({ queue, status: 'error' });
          throw error;
        }
      },
      options,
    );
  }

  private async counted(destination: string, sending: Promise<void>): Promise<void> {
    try {
      await sending;
      this.metrics.published.inc({ destination, status: 'ok' });
    } catch (error) {
      this.metrics.published.inc({ destination, status: 'error' });
      throw error;
    }
  }
}
