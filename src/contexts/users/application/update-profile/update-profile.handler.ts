import type { CommandResult } from '../../../../shared/application/command-bus.js';
import { collect } from '../../../../shared/domain/result.js';
import { PersonName } from '../../domain/person-name.js';
import { UsernameTakenError } from '../../domain/user-errors.js';
import { Username } from '../../domain/username.js';
import { UserChangeHandler } from '../user-change.handler.js';
import type { UpdateProfileCommand } from './update-profile.command.js';

export class UpdateProfileHandler extends UserChangeHandler<UpdateProfileCommand> {
  async handle(command: UpdateProfileCommand): Promise<CommandResult> {
    // Built before the transaction: an invalid field fails without touching storage.
    const changes = collect({
      firstName: () =>
        command.firstName === undefined ? undefined : PersonName.create('firstName', command.firstName),
      lastName: () => (command.lastName === undefined ? undefined : PersonName.create('lastName', command.lastName)),
      username: () => (command.username === undefined ? undefined : Username.create(command.username)),
    });
    return this.uow.update(command.userId, async (user, { users }) => {
      user.assertVersion(command.expectedVersions);
      const { username } = changes;
      if (username && username.value !== user.username && (await users.usernameTaken(username.value, user.id))) {
        throw new UsernameTakenError(username.value);
      }
      user.updateProfile(changes, this.clock.now());
    });
  }
}
