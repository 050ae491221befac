import type { CommandResult } from '../../../../shared/application/command-bus.js';
import { UserChangeHandler } from '../user-change.handler.js';
import type { VerifyEmailCommand } from './verify-email.command.js';

export class VerifyEmailHandler extends UserChangeHandler<VerifyEmailCommand> {
  handle(command: VerifyEmailCommand): Promise<CommandResult> {
    return this.uow.update(command.userId, (user) => user.verifyEmail(this.clock.now()));
  }
}
