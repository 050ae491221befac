import type { CommandHandler, CommandResult } from '../../../../shared/application/command-bus.js';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import { loadUser } from '../load-user.js';
import type { UsersUnitOfWork } from '../users-scope.js';
import type { DeleteUserCommand } from './delete-user.command.js';

export class DeleteUserHandler implements CommandHandler<DeleteUserCommand> {
  constructor(
    private readonly uow: UsersUnitOfWork,
    private readonly clock: Clock,
  ) {}

  handle(command: DeleteUserCommand): Promise<CommandResult> {
    return this.uow.run(async ({ users, outbox }) => {
      const user = await loadUser(users, command.userId);
      user.delete(this.clock.now());
      await users.erase(user);
      await outbox.append(user.pullEvents());
      return { resourceId: user.id, version: null };
    });
  }
}
