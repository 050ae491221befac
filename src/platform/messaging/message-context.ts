import { AsyncLocalStorage } from 'node:async_hooks';
import type { Delivery } from './message.js';

/** Who caused the work now running: carried onto every event it emits, and onto every log line. */
export interface MessageContext {
  readonly correlationId: string;
  readonly causationId: string;
  /** W3C trace context of the message being handled, as it arrived (tracing off: passed through). */
  readonly traceparent?: string;
  readonly tracestate?: string;
  /** Set while a command is being handled (worker). */
  readonly commandId?: string;
  /** Set while an event is being handled or relayed (projector, session revoker, relay). */
  readonly eventId?: string;
}

const storage = new AsyncLocalStorage<MessageContext>();

export const messageContext = {
  run<T>(context: MessageContext, work: () => Promise<T>): Promise<T> {
    return storage.run(context, work);
  },
  current(): MessageContext | undefined {
    return storage.getStore();
  },
};

/** The context of handling one delivery: its correlation, and it as the cause of what follows. */
export function deliveryContext(delivery: Delivery, kind: 'command' | 'event'): MessageContext {
  const { traceparent, tracestate } = delivery.headers;
  return {
    correlationId: delivery.correlationId,
    causationId: delivery.messageId,
    ...(kind === 'command' ? { commandId: delivery.messageId } : { eventId: delivery.messageId }),
    ...(traceparent && { traceparent }),
    ...(tracestate && { tracestate }),
  };
}

/** Runs a delivery handler inside its message context, so every line it logs carries the ids. */
export function inDeliveryContext<R>(
  kind: 'command' | 'event',
  handle: (delivery: Delivery) => Promise<R>,
): (delivery: Delivery) => Promise<R> {
  return (delivery) => messageContext.run(deliveryContext(delivery, kind), () => handle(delivery));
}
