import type { DomainEvent } from './domain-event.js';

/**
 * Records the events an aggregate produced since it was loaded. The use case pulls them and hands
 * them to the outbox in the same transaction as the aggregate's row, so they can never be
 * published for a change that did not commit.
 */
export abstract class AggregateRoot {
  private recorded: DomainEvent[] = [];

  /** The version the aggregate had when it was loaded: the optimistic-concurrency check. */
  readonly persistedVersion: number;

  protected constructor(
    readonly id: string,
    private currentVersion: number,
  ) {
    this.persistedVersion = currentVersion;
  }

  get version(): number {
    return this.currentVersion;
  }

  protected record(event: Omit<DomainEvent, 'aggregateId' | 'aggregateVersion'>): void {
    this.currentVersion += 1;
    this.recorded.push({ ...event, aggregateId: this.id, aggregateVersion: this.currentVersion });
  }

  pullEvents(): DomainEvent[] {
    const events = this.recorded;
    this.recorded = [];
    return events;
  }

  peekEvents(): readonly DomainEvent[] {
    return this.recorded;
  }
}
