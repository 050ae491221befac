import { context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';

/** The W3C trace-context headers a message carries (DESIGN.md §5). */
export interface TraceHeaders {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/**
 * The trace context of the work running now, as message headers: the active span's when tracing
 * is on; otherwise `passedThrough` (what arrived with the request or message), so a caller's
 * trace id still travels through a service that does not trace.
 */
export function currentTraceHeaders(passedThrough: TraceHeaders = {}): TraceHeaders {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const source = carrier.traceparent ? carrier : passedThrough;
  return {
    ...(source.traceparent && { traceparent: source.traceparent }),
    ...(source.traceparent && source.tracestate && { tracestate: source.tracestate }),
  };
}

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/;

/**
 * `trace_id` and `span_id` for a log line: the active span's, or, with tracing off, the trace id
 * of the `traceparent` the current message arrived with.
 */
export function traceLogFields(passedThrough?: string): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span)) return { trace_id: span.traceId, span_id: span.spanId };
  const parsed = passedThrough ? TRACEPARENT.exec(passedThrough) : null;
  return parsed ? { trace_id: parsed[1]! } : {};
}
