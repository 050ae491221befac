import type { CommandResult } from '../../../../shared/application/command-bus.js';
import { UserChangeHandler } from '../user-change.handler.js';
import type { ChangePasswordCommand } from './change-password.command.js';

export class ChangePasswordHandler extends UserChangeHandler<ChangePasswordCommand> {
  handle(command: ChangePasswordCommand): Promise<CommandResult> {
    return this.uow.update(command.userId, (user) => user.changePassword(command.passwordHash, this.clock.now()));
  }
}
