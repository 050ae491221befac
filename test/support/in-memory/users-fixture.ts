import type { User } from '../../../src/contexts/users/domain/user.js';
import type { DomainEvent } from '../../../src/shared/domain/domain-event.js';
import { specification, type Handler } from '../handler-spec.js';
import { FixedClock } from './fixed-clock.js';
import { InMemoryUserRepository } from './in-memory-user-repository.js';
import { InMemoryEventOutbox, InMemoryUsersUnitOfWork } from './in-memory-users-unit-of-work.js';

/** An outbox whose append fails, to prove the unit of work leaves no half-done write behind. */
export class FailingEventOutbox extends InMemoryEventOutbox {
  override async append(_events: readonly DomainEvent[]): Promise<void> {
    throw new Error('outbox unavailable');
  }
}

/** Another writer commits right after this one loaded the user: its save then meets a newer version. */
export class RacingUserRepository extends InMemoryUserRepository {
  override async findById(id: string): Promise<User | null> {
    const user = await super.findById(id);
    const row = this.rows.get(id);
    if (row) this.rows.set(id, { ...row, version: row.version + 1 });
    return user;
  }
}

export interface UsersFixtureOptions {
  readonly failingOutbox?: boolean;
  /** See RacingUserRepository. */
  readonly racingWriter?: boolean;
}

/** What a users handler test needs: an in-memory unit of work, a fixed clock and a way to seed users. */
export function usersFixture(options: UsersFixtureOptions = {}) {
  const uow = new InMemoryUsersUnitOfWork(
    options.racingWriter ? new RacingUserRepository() : undefined,
    options.failingOutbox ? new FailingEventOutbox() : undefined,
  );
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
    /** The stored state of a user, or undefined when there is none (unknown or erased). */
    async stored(id: string) {
      return (await uow.users.findById(id))?.snapshot();
    },
  };
}

export type UsersFixture = ReturnType<typeof usersFixture>;

/** Given stored users, when a users command is handled, then its result, its events or its error. */
export function usersSpec<C, R>(handler: (fixture: UsersFixture) => Handler<C, R>) {
  return specification({ fixture: usersFixture, seed: (fixture, user: User) => fixture.seed(user), handler });
}
