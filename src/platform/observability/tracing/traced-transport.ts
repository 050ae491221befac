import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { Message } from '../../messaging/message.js';
import { DelegatingTransport } from '../../messaging/delegating-transport.js';
import type { ConsumeOptions, DeliveryHandler, MessageTransport, Subscription } from '../../messaging/transport.js';

/**
 * Carries traces across the queue, whichever adapter is behind the port: a PRODUCER span around
 * each send/publish whose context is written into the message's `traceparent`/`tracestate`
 * headers (W3C, through the global propagator), and a CONSUMER span around each delivery whose
 * parent is the context read back from those headers. Everything the handler does (SQL, the
 * outbox append, logs) happens inside that span.
 */
export class TracedTransport extends DelegatingTransport {
  constructor(
    inner: MessageTransport,
    private readonly tracer: Tracer,
  ) {
    super(inner);
  }

  /** A command: its parent is the work sending it (the HTTP request). */
  override send(queue: string, message: Message): Promise<void> {
    return this.produce(`publish ${queue}`, queue, message, context.active(), (traced) =>
      this.inner.send(queue, traced),
    );
  }

  /**
   * An event, sent by the relay, which has no span of its own: the parent is the work that
   * committed the event, whose context the outbox stored and `toMessage` put in the headers.
   */
  override publish(message: Message): Promise<void> {
    const parent = propagation.extract(context.active(), message.headers);
    return this.produce(`publish ${message.type}`, message.type, message, parent, (traced) =>
      this.inner.publish(traced),
    );
  }

  override consume(queue: string, handler: DeliveryHandler, options: ConsumeOptions): Promise<Subscription> {
    return this.inner.consume(
      queue,
      (delivery) => {
        const parent = propagation.extract(ROOT_CONTEXT, delivery.headers);
        const span = this.tracer.startSpan(
          `process ${delivery.type}`,
          {
            kind: SpanKind.CONSUMER,
            attributes: {
              ...this.messageAttributes(queue, delivery, 'process'),
              'messaging.rabbitmq.message.delivery_count': delivery.deliveryCount,
            },
          },
          parent,
        );
        return context.with(trace.setSpan(parent, span), async () => {
          try {
            const disposition = await handler(delivery);
            span.setAttribute('portico.disposition', disposition.outcome);
            if (disposition.outcome !== 'ack') span.setAttribute('portico.disposition.reason', disposition.reason);
            if (disposition.outcome === 'dead-letter') {
              span.setStatus({ code: SpanStatusCode.ERROR, message: disposition.reason });
            }
            return disposition;
          } catch (error) {
            failed(span, error);
            throw error;
          } finally {
            span.end();
          }
        });
      },
      options,
    );
  }

  private async produce(
    name: string,
    destination: string,
    message: Message,
    parent: Context,
    send: (message: Message) => Promise<void>,
  ): Promise<void> {
    const span = this.tracer.startSpan(
      name,
      { kind: SpanKind.PRODUCER, attributes: this.messageAttributes(destination, message, 'send') },
      parent,
    );
    const current = trace.setSpan(parent, span);
    const injected: Record<string, string> = {};
    propagation.inject(current, injected);
    const headers: Record<string, string> = { ...message.headers };
    if (injected.traceparent) {
      // The message now continues this span's trace; the old parent's tracestate must not ride along.
      delete headers.tracestate;
      Object.assign(headers, injected);
    }
    try {
      await context.with(current, () => send({ ...message, headers }));
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  private messageAttributes(destination: string, message: Message, operation: 'send' | 'process'): Attributes {
    return {
      'messaging.system': this.inner.name,
      'messaging.operation.type': operation,
      'messaging.destination.name': destination,
      'messaging.message.id': message.messageId,
      'messaging.message.conversation_id': message.correlationId,
      'portico.message.type': message.type,
    };
  }
}

function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
