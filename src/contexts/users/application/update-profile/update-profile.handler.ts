import type { CommandHandler, CommandResult } from '../../../../shared/application/command-bus.js';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import { collect } from '../../../../shared/domain/result.js';
import { PersonName } from '../../domain/person-name.js';
import { UsernameTakenError } from '../../domain/user-errors.js';
import { Username } from '../../domain/username.js';
import { loadUser } from '../load-user.js';
import type { UsersUnitOfWork } from '../users-scope.js';
import type { UpdateProfileCommand } from './update-profile.command.js';

export class UpdateProfileHandler implements CommandHandler<UpdateProfileCommand> {
  constructor(
    private readonly uow: UsersUnitOfWork,
    private readonly clock: Clock,
  ) {}

  async handle(command: UpdateProfileCommand): Promise<CommandResult> {
    const changes = collect({
      firstName: () =>
        command.firstName === undefined ? undefined : PersonName.create('firstName', command.firstName),
      lastName: () => (command.lastName === undefined ? undefined : PersonName.create('lastName', command.lastName)),
      username: () => (command.username === undefined ? undefined : Username.create(command.username)),
    });
    return this.uow.run(async ({ users, outbox }) => {
      const user = await loadUser(users, command.userId);
      user.assertVersion(command.expectedVersion);
      if (changes.username && changes.username.value !== user.username) {
        if (await users.usernameTaken(changes.username.value, user.id)) {
          throw new UsernameTakenError(changes.username.value);
        }
      }
      user.updateProfile(
        {
          ...(changes.firstName && { firstName: changes.firstName }),
          ...(changes.lastName && { lastName: changes.lastName }),
          ...(changes.username && { username: changes.username }),
        },
        this.clock.now(),
      );
      const events = user.pullEvents();
      if (events.length > 0) {
        await users.update(user);
        await outbox.append(events);
      }
      return { resourceId: user.id, version: user.version };
    });
  }
}
