import type { IdGenerator } from '../../../shared/application/ports/id-generator.js';
import type { PasswordHasher } from '../../../shared/application/ports/password-hasher.js';
import type { Logger } from '../../../platform/logging/logger.js';
import type { CommandGateway } from '../../../platform/messaging/command-gateway.js';
import type { PasswordHashUpgrader } from '../application/auth-ports.js';

/** Sends `users.upgrade_password_hash` (the users context owns the hash); does not wait for it. */
export class UsersPasswordHashUpgrader implements PasswordHashUpgrader {
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
      await this.gateway.accept(
        { type: 'users.upgrade_password_hash', userId, previousHash, passwordHash } as { type: string },
        { commandId, resourceId: userId, caller: userId, correlationId: commandId },
      );
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'password hash upgrade could not be queued; next login retries');
    }
  }
}
