import type { UpgradePasswordHashCommand } from '../../application/upgrade-password-hash/upgrade-password-hash.command.js';
import type { IdGenerator } from '../../../../shared/application/ports/id-generator.js';
import type { PasswordHasher } from '../../../../shared/application/ports/password-hasher.js';
import type { Logger } from '../../../../platform/logging/logger.js';
import type { CommandGateway } from '../../../../platform/messaging/command-gateway.js';

/** auth's PasswordHashUpgrader port: sends `users.upgrade_password_hash` (users owns the hash); does not wait. */
export class PasswordHashUpgrader {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly logger: Logger,
  ) {}

  async upgrade(userId: string, previousHash: string, plain: string): Promise<void> {
    try {
      const passwordHash = await this.hasher.hash(plain);
      const commandId = this.ids.next();
      const command: UpgradePasswordHashCommand = {
        type: 'users.upgrade_password_hash',
        userId,
        previousHash,
        passwordHash,
      };
      await this.gateway.accept(command, { commandId, resourceId: userId, caller: userId, correlationId: commandId });
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'password hash upgrade could not be queued; next login retries');
    }
  }
}
