import type { CommandHandler, CommandResult } from '../../../../shared/application/command-bus.js';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import { loadUser } from '../load-user.js';
import type { UsersUnitOfWork } from '../users-scope.js';
import type { DeactivateUserCommand } from './deactivate-user.command.js';

export class DeactivateUserHandler implements CommandHandler<DeactivateUserCommand> {
  constructor(
    private readonly uow: UsersUnitOfWork,
    private readonly clock: Clock,
  ) {}

  handle(command: DeactivateUserCommand): Promise<CommandResult> {
    return this.uow.run(async ({ users, outbox }) => {
      const user = await loadUser(users, command.userId);
      user.deactivate(this.clock.now());
      const events = user.pullEvents();
      if (events.length > 0) {
        await users.update(user);
        await outbox.append(events);
      }
      return { resourceId: user.id, version: user.version };
    });
  }
}
