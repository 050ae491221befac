import type { CommandHandler, CommandResult } from '../../../../shared/application/command-bus.js';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import { loadUser } from '../load-user.js';
import type { UsersUnitOfWork } from '../users-scope.js';
import type { ActivateUserCommand } from './activate-user.command.js';

export class ActivateUserHandler implements CommandHandler<ActivateUserCommand> {
  constructor(
    private readonly uow: UsersUnitOfWork,
    private readonly clock: Clock,
  ) {}

  handle(command: ActivateUserCommand): Promise<CommandResult> {
    return this.uow.run(async ({ users, outbox }) => {
      const user = await loadUser(users, command.userId);
      user.activate(this.clock.now());
      const events = user.pullEvents();
      if (events.length > 0) {
        await users.update(user);
        await outbox.append(events);
      }
      return { resourceId: user.id, version: user.version };
    });
  }
}
