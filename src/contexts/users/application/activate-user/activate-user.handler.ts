import type { CommandResult } from '../../../../shared/application/command-bus.js';
import { UserChangeHandler } from '../user-change.handler.js';
import type { ActivateUserCommand } from './activate-user.command.js';

export class ActivateUserHandler extends UserChangeHandler<ActivateUserCommand> {
  handle(command: ActivateUserCommand): Promise<CommandResult> {
    return this.uow.update(command.userId, (user) => {
      user.assertVersion(command.expectedVersions);
      user.activate(this.clock.now());
    });
  }
}
