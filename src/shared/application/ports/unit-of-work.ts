import type { DomainEvent } from '../../domain/domain-event.js';

/** Appends events to the transactional outbox; they leave only after the transaction commits. */
export interface EventOutbox {
  append(events: readonly DomainEvent[]): Promise<void>;
}

/**
 * Runs a piece of work atomically. `TScope` is what the work may touch inside the transaction
 * (repositories and the outbox of one context); everything commits or nothing does.
 */
export interface UnitOfWork<TScope> {
  run<T>(work: (scope: TScope) => Promise<T>): Promise<T>;
}
