import type { User } from '../../../src/contexts/users/domain/user.js';
import type { DomainEvent } from '../../../src/shared/domain/domain-event.js';
import { FixedClock } from './fixed-clock.js';
import { InMemoryEventOutbox, InMemoryUsersUnitOfWork } from './in-memory-users-unit-of-work.js';

/** An outbox whose append fails, to prove the unit of work leaves no half-done write behind. */
export class FailingEventOutbox extends InMemoryEventOutbox {
  override async append(_events: readonly DomainEvent[]): Promise<void> {
    throw new Error('outbox unavailable');
  }
}

/** What a users handler test needs: an in-memory unit of work, a fixed clock and a way to seed users. */
export function usersFixture(options: { failingOutbox?: boolean } = {}) {
  const uow = options.failingOutbox
    ? new InMemoryUsersUnitOfWork(undefined, new FailingEventOutbox())
    : new InMemoryUsersUnitOfWork();
  const clock = new FixedClock();
  return {
    uow,
    clock,
    users: uow.users,
    outbox: uow.outbox,
    /** Stores users as if an earlier command had created them. */
    async seed<T extends User>(user: T): Promise<T> {
      await uow.users.insert(user);
      return user;
    },
  };
}
