import type { CommandResult } from '../../../../shared/application/command-bus.js';
import { Email } from '../../domain/email.js';
import { EmailTakenError } from '../../domain/user-errors.js';
import { UserChangeHandler } from '../user-change.handler.js';
import type { ChangeEmailCommand } from './change-email.command.js';

/** The address may have been taken since the change was asked for: then `email_taken`, nothing changes. */
export class ChangeEmailHandler extends UserChangeHandler<ChangeEmailCommand> {
  handle(command: ChangeEmailCommand): Promise<CommandResult> {
    const email = Email.create(command.email);
    return this.uow.update(command.userId, async (user, { users }) => {
      if (await users.emailTaken(email.value, command.userId)) throw new EmailTakenError(email.value);
      user.changeEmail(email, this.clock.now());
    });
  }
}
