import type { CommandResult } from '../../../shared/application/command-bus.js';
import type { EventOutbox, UnitOfWork } from '../../../shared/application/ports/unit-of-work.js';
import type { User } from '../domain/user.js';
import { UserNotFoundError } from '../domain/user-errors.js';
import type { UserRepository } from '../domain/user-repository.js';

/** What a users use case may touch inside one transaction. */
export interface UsersScope {
  readonly users: UserRepository;
  readonly outbox: EventOutbox;
}

/** The domain change a use case makes to one user; the scope is there for checks such as uniqueness. */
export type UserChange = (user: User, scope: UsersScope) => void | Promise<void>;

/**
 * The users context's unit of work. An adapter supplies `run` (one transaction over its repository
 * and outbox); load–change–save is written once, here, in the spirit of wild-workouts'
 * `UpdateTraining(ctx, id, updateFn)`, so a use case is its domain call and little else.
 */
export abstract class UsersUnitOfWork implements UnitOfWork<UsersScope> {
  abstract run<T>(work: (scope: UsersScope) => Promise<T>): Promise<T>;

  /**
   * Loads the user (UserNotFoundError if there is none) and applies `change`. Only if that changed
   * something is the user stored, with the version check (ConcurrentModificationError when another
   * writer got there first), and its recorded events handed to the outbox; all in one transaction.
   */
  async update(id: string, change: UserChange): Promise<CommandResult> {
    const user = await this.apply(id, change, async (users, changed) => {
      if (changed.changed) await users.update(changed);
    });
    return { resourceId: user.id, version: user.version };
  }

  /** The same for an erasure (`change` is the domain's delete): afterwards the user has no version. */
  async erase(id: string, change: UserChange): Promise<CommandResult> {
    const user = await this.apply(id, change, (users, erased) => users.erase(erased));
    return { resourceId: user.id, version: null };
  }

  private apply(
    id: string,
    change: UserChange,
    store: (users: UserRepository, user: User) => Promise<void>,
  ): Promise<User> {
    return this.run(async (scope) => {
      const user = await scope.users.findById(id);
      if (!user) throw new UserNotFoundError(id);
      await change(user, scope);
      const events = user.pullEvents();
      await store(scope.users, user);
      if (events.length > 0) await scope.outbox.append(events);
      return user;
    });
  }
}
