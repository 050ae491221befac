import type { ChangeEmailCommand } from '../../application/change-email/change-email.command.js';
import type { VerifyEmailCommand } from '../../application/verify-email/verify-email.command.js';
import { ValidationError } from '../../../../shared/domain/domain-error.js';
import { Email } from '../../domain/email.js';
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

  normalize(email: string, field: string): string {
    try {
      return Email.create(email).value;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(field, error.errors[0]!.message);
    }
  }
}
