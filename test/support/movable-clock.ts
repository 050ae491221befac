import type { Clock } from '../../src/shared/application/ports/clock.js';

/** The real time, moved forward on demand: a running service's rules see the future, its sockets do not. */
export class MovableClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
