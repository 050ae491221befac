import type { CommandHandler, CommandResult } from '../../../../shared/application/command-bus.js';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { UsersUnitOfWork } from '../users-scope.js';
import type { ChangePasswordCommand } from './change-password.command.js';

export class ChangePasswordHandler implements CommandHandler<ChangePasswordCommand> {
  constructor(
    private readonly uow: UsersUnitOfWork,
    private readonly clock: Clock,
  ) {}

  handle(command: ChangePasswordCommand): Promise<CommandResult> {
    return this.uow.update(command.userId, (user) => user.changePassword(command.passwordHash, this.clock.now()));
  }
}
