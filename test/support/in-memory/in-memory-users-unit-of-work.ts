import { UsersUnitOfWork, type UsersScope } from '../../../src/contexts/users/application/users-scope.js';
import type { EventOutbox } from '../../../src/shared/application/ports/unit-of-work.js';
import type { DomainEvent } from '../../../src/shared/domain/domain-event.js';
import { InMemoryUserRepository } from './in-memory-user-repository.js';

export class InMemoryEventOutbox implements EventOutbox {
  readonly events: DomainEvent[] = [];

  async append(events: readonly DomainEvent[]): Promise<void> {
    this.events.push(...events);
  }
}

/** All-or-nothing like a transaction: on a throw, rows and events go back to how they were. */
export class InMemoryUsersUnitOfWork extends UsersUnitOfWork {
  constructor(
    readonly users = new InMemoryUserRepository(),
    readonly outbox = new InMemoryEventOutbox(),
  ) {
    super();
  }

  async run<T>(work: (scope: UsersScope) => Promise<T>): Promise<T> {
    const rows = new Map(this.users.rows);
    const eventCount = this.outbox.events.length;
    try {
      return await work({ users: this.users, outbox: this.outbox });
    } catch (error) {
      this.users.rows.clear();
      for (const [id, row] of rows) this.users.rows.set(id, row);
      this.outbox.events.length = eventCount;
      throw error;
    }
  }
}
