import type { AuthScope, AuthUnitOfWork } from '../../../src/contexts/auth/application/auth-ports.js';
import { InMemorySessionRepository } from './in-memory-session-repository.js';
import { InMemoryEventOutbox } from './in-memory-users-unit-of-work.js';

/** All-or-nothing like a transaction: on a throw, sessions, token index and events go back to how they were. */
export class InMemoryAuthUnitOfWork implements AuthUnitOfWork {
  /** Units of work that returned normally (committed). */
  commits = 0;
  /** Units of work that threw (rolled back). */
  rollbacks = 0;

  constructor(
    readonly sessions = new InMemorySessionRepository(),
    readonly outbox = new InMemoryEventOutbox(),
  ) {}

  async run<T>(work: (scope: AuthScope) => Promise<T>): Promise<T> {
    const rows = new Map(this.sessions.rows);
    const tokens = new Map(this.sessions.tokens);
    const eventCount = this.outbox.events.length;
    try {
      const result = await work({ sessions: this.sessions, outbox: this.outbox });
      this.commits += 1;
      return result;
    } catch (error) {
      restore(this.sessions.rows, rows);
      restore(this.sessions.tokens, tokens);
      this.outbox.events.length = eventCount;
      this.rollbacks += 1;
      throw error;
    }
  }
}

function restore<K, V>(target: Map<K, V>, saved: Map<K, V>): void {
  target.clear();
  for (const [key, value] of saved) target.set(key, value);
}
