import type { CommandHandler, CommandResult } from '../../../../shared/application/command-bus.js';
import { loadUser } from '../load-user.js';
import type { UsersUnitOfWork } from '../users-scope.js';
import type { UpgradePasswordHashCommand } from './upgrade-password-hash.command.js';

export class UpgradePasswordHashHandler implements CommandHandler<UpgradePasswordHashCommand> {
  constructor(private readonly uow: UsersUnitOfWork) {}

  async handle(command: UpgradePasswordHashCommand): Promise<CommandResult> {
    return this.uow.run(async ({ users }) => {
      const user = await loadUser(users, command.userId);
      if (user.passwordHash === command.previousHash) {
        user.upgradePasswordHash(command.passwordHash);
        await users.update(user);
      }
      return { resourceId: user.id, version: user.version };
    });
  }
}
