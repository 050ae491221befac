import { describe, expect, it } from 'vitest';
import { AggregateRoot } from '../../../../src/shared/domain/aggregate-root.js';

class Counter extends AggregateRoot {
  constructor(version = 0) {
    super('counter-1', version);
  }

  bump(): void {
    this.record({ type: 'test.counter.bumped', version: 1, occurredAt: new Date(0), data: {} });
  }
}

describe('AggregateRoot', () => {
  it('stamps each recorded event with the aggregate id and the next version', () => {
    const counter = new Counter(4);
    counter.bump();
    counter.bump();
    expect(counter.peekEvents().map((e) => [e.aggregateId, e.aggregateVersion])).toEqual([
      ['counter-1', 5],
      ['counter-1', 6],
    ]);
    expect(counter.version).toBe(6);
  });

  it('keeps persistedVersion at the version it was loaded with', () => {
    const counter = new Counter(4);
    counter.bump();
    expect(counter.persistedVersion).toBe(4);
  });

  it('pullEvents hands the events over once and then forgets them', () => {
    const counter = new Counter();
    counter.bump();
    expect(counter.pullEvents()).toHaveLength(1);
    expect(counter.pullEvents()).toEqual([]);
  });

  it('peekEvents shows the events without removing them', () => {
    const counter = new Counter();
    counter.bump();
    counter.peekEvents();
    expect(counter.pullEvents()).toHaveLength(1);
  });
});
