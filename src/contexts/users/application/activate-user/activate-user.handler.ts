import type { CommandHandler, CommandResult } from '../../../../shared/application/command-bus.js';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { UsersUnitOfWork } from '../users-scope.js';
import type { ActivateUserCommand } from './activate-user.command.js';

export class ActivateUserHandler implements CommandHandler<ActivateUserCommand> {
  constructor(
    private readonly uow: UsersUnitOfWork,
    private readonly clock: Clock,
  ) {}

  handle(command: ActivateUserCommand): Promise<CommandResult> {
    return this.uow.update(command.userId, (user) => user.activate(this.clock.now()));
  }
}
