import type { CommandHandler, CommandResult } from '../../../shared/application/command-bus.js';
import type { Clock } from '../../../shared/application/ports/clock.js';
import type { UsersUnitOfWork } from './users-scope.js';

/** What every use case that changes one existing user is built from: the unit of work and the clock. */
export abstract class UserChangeHandler<
  C extends { readonly type: string; readonly userId: string },
> implements CommandHandler<C> {
  constructor(
    protected readonly uow: UsersUnitOfWork,
    protected readonly clock: Clock,
  ) {}

  abstract handle(command: C): Promise<CommandResult>;
}
