import type { CommandResult } from '../../../../shared/application/command-bus.js';
import { UserChangeHandler } from '../user-change.handler.js';
import type { DeactivateUserCommand } from './deactivate-user.command.js';

export class DeactivateUserHandler extends UserChangeHandler<DeactivateUserCommand> {
  handle(command: DeactivateUserCommand): Promise<CommandResult> {
    return this.uow.update(command.userId, (user) => {
      user.assertVersion(command.expectedVersions);
      user.deactivate(this.clock.now());
    });
  }
}
