import type { CommandHandler, CommandResult } from '../../../../shared/application/command-bus.js';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import { loadUser } from '../load-user.js';
import type { UsersUnitOfWork } from '../users-scope.js';
import type { ChangePasswordCommand } from './change-password.command.js';

export class ChangePasswordHandler implements CommandHandler<ChangePasswordCommand> {
  constructor(
    private readonly uow: UsersUnitOfWork,
    private readonly clock: Clock,
  ) {}

  async handle(command: ChangePasswordCommand): Promise<CommandResult> {
    return this.uow.run(async ({ users, outbox }) => {
      const user = await loadUser(users, command.userId);
      user.changePassword(command.passwordHash, this.clock.now());
      await users.update(user);
      await outbox.append(user.pullEvents());
      return { resourceId: user.id, version: user.version };
    });
  }
}
