import type { CommandHandler, CommandResult } from '../../../../shared/application/command-bus.js';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import { User } from '../../domain/user.js';
import type { UsersUnitOfWork } from '../users-scope.js';
import type { CreateUserCommand } from './create-user.command.js';
import { newUserFields } from './new-user-fields.js';

export class CreateUserHandler implements CommandHandler<CreateUserCommand> {
  constructor(
    private readonly uow: UsersUnitOfWork,
    private readonly clock: Clock,
  ) {}

  async handle(command: CreateUserCommand): Promise<CommandResult> {
    const values = newUserFields(command);
    return this.uow.run(async ({ users, outbox }) => {
      const user = User.register(
        {
          id: command.userId,
          passwordHash: command.passwordHash,
          emailVerified: command.emailVerified ?? true,
          ...values,
        },
        this.clock.now(),
      );
      // A taken email or username is refused by the insert itself (EmailTakenError, UsernameTakenError:
      // the repository's contract), so a sign-up asks the database once, not three times.
      await users.insert(user);
      await outbox.append(user.pullEvents());
      return { resourceId: user.id, version: user.version };
    });
  }
}
