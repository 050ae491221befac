import type { CommandHandler, CommandResult } from '../../../../shared/application/command-bus.js';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { UsersUnitOfWork } from '../users-scope.js';
import type { DeleteUserCommand } from './delete-user.command.js';

/** Erasure: the domain records why, the repository removes the personal data everywhere it is kept. */
export class DeleteUserHandler implements CommandHandler<DeleteUserCommand> {
  constructor(
    private readonly uow: UsersUnitOfWork,
    private readonly clock: Clock,
  ) {}

  handle(command: DeleteUserCommand): Promise<CommandResult> {
    return this.uow.erase(command.userId, (user) => user.delete(this.clock.now()));
  }
}
