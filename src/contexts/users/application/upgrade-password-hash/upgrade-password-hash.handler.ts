import type { CommandHandler, CommandResult } from '../../../../shared/application/command-bus.js';
import type { UsersUnitOfWork } from '../users-scope.js';
import type { UpgradePasswordHashCommand } from './upgrade-password-hash.command.js';

export class UpgradePasswordHashHandler implements CommandHandler<UpgradePasswordHashCommand> {
  constructor(private readonly uow: UsersUnitOfWork) {}

  handle(command: UpgradePasswordHashCommand): Promise<CommandResult> {
    return this.uow.update(command.userId, (user) =>
      user.upgradePasswordHash(command.previousHash, command.passwordHash),
    );
  }
}
