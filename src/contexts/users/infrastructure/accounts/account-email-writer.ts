import type { ChangeEmailCommand } from '../../application/change-email/change-email.command.js';
import type { VerifyEmailCommand } from '../../application/verify-email/verify-email.command.js';
import type { AwaitedCommands } from './awaited-commands.js';

/**
 * auth's AccountEmailWriter port: a verified address and a change of address, as the users
 * context's own commands, awaited: the confirmation page says "done" only once the account shows it.
 */
export class AccountEmailWriter {
  constructor(private readonly commands: AwaitedCommands) {}

  markVerified(userId: string): Promise<void> {
    const command: VerifyEmailCommand = { type: 'users.verify_email', userId };
    return this.commands.run(command, userId, 'the change');
  }

  changeEmail(userId: string, email: string): Promise<void> {
    const command: ChangeEmailCommand = { type: 'users.change_email', userId, email };
    return this.commands.run(command, userId, 'the change');
  }
}
