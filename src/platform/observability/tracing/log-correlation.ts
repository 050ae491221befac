import { messageContext } from '../../messaging/message-context.js';
import { traceLogFields } from './trace-context.js';

/**
 * pino `mixin`: every line logged while a message is handled carries its correlation id, its
 * command or event id and the trace it belongs to, so logs, traces and commands join up.
 * Fields the line sets itself take precedence.
 */
export function logCorrelation(): Record<string, string> {
  const current = messageContext.current();
  const fields: Record<string, string> = {};
  if (current) {
    fields.correlationId = current.correlationId;
    if (current.commandId) fields.commandId = current.commandId;
    if (current.eventId) fields.eventId = current.eventId;
  }
  return Object.assign(fields, traceLogFields(current?.traceparent));
}
