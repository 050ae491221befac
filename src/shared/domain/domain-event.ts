/**
 * A fact that happened to an aggregate. Events are versioned plain data: `type` is a stable
 * dotted name (never a class name), `version` is the schema version of `data`. The outbox gives each event its
 * id when it is appended, so the domain needs no id generator for events.
 */
export interface DomainEvent<TData extends object = Record<string, unknown>> {
  readonly type: string;
  readonly version: number;
  readonly occurredAt: Date;
  readonly aggregateId: string;
  readonly aggregateVersion: number;
  readonly data: TData;
}
