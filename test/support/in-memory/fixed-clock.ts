import type { Clock } from '../../../src/shared/application/ports/clock.js';
import type { IdGenerator } from '../../../src/shared/application/ports/id-generator.js';

/** Where every FixedClock starts: the `occurredAt` of what a handler records before the clock moves. */
export const CLOCK_START = new Date('2026-01-01T00:00:00.000Z');

export class FixedClock implements Clock {
  constructor(private current = new Date(CLOCK_START)) {}

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Deterministic, sortable UUID-shaped ids: 00000000-0000-7000-8000-000000000001, … */
export class SequentialIds implements IdGenerator {
  private n = 0;

  next(): string {
    this.n += 1;
    return `00000000-0000-7000-8000-${String(this.n).padStart(12, '0')}`;
  }
}
