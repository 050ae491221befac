import type { CommandHandler, CommandResult } from '../../../../shared/application/command-bus.js';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { UsersUnitOfWork } from '../users-scope.js';
import type { DeactivateUserCommand } from './deactivate-user.command.js';

export class DeactivateUserHandler implements CommandHandler<DeactivateUserCommand> {
  constructor(
    private readonly uow: UsersUnitOfWork,
    private readonly clock: Clock,
  ) {}

  handle(command: DeactivateUserCommand): Promise<CommandResult> {
    return this.uow.update(command.userId, (user) => user.deactivate(this.clock.now()));
  }
}
