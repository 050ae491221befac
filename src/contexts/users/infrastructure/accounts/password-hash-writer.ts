import type { ChangePasswordCommand } from '../../application/change-password/change-password.command.js';
import type { AwaitedCommands } from './awaited-commands.js';

/**
 * auth's PasswordHashWriter port: replaces a password hash through the users context's own command
 * (`users.change_password`), and waits for it: the old password must stop working before the
 * client hears "changed".
 */
export class PasswordHashWriter {
  constructor(private readonly commands: AwaitedCommands) {}

  replace(userId: string, passwordHash: string): Promise<void> {
    const command: ChangePasswordCommand = { type: 'users.change_password', userId, passwordHash };
    return this.commands.run(command, userId, 'the password change');
  }
}
