import { Type, type Static } from 'typebox';
// typebox/schema's Check is what Value.Check runs, without the ~140 modules of the rest of Value.
import { Check } from 'typebox/schema';
import type { Delivery } from './message.js';
import { PoisonMessageError } from './retry-policy.js';

export const EventEnvelopeSchema = Type.Object({
  type: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  occurredAt: Type.String(),
  aggregateId: Type.String(),
  aggregateVersion: Type.Integer({ minimum: 1 }),
  data: Type.Record(Type.String(), Type.Unknown()),
});

export type EventEnvelope = Static<typeof EventEnvelopeSchema>;

/** Parses an event delivery; anything that is not an event envelope is poison. */
export function parseEvent(delivery: Delivery): EventEnvelope & { position: number | null } {
  if (!Check(EventEnvelopeSchema, delivery.body)) {
    throw new PoisonMessageError(`message ${delivery.messageId} is not an event envelope`);
  }
  const position = Number(delivery.headers.position);
  return { ...delivery.body, position: Number.isFinite(position) ? position : null };
}
