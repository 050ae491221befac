import type { ChangePasswordCommand } from '../../application/change-password/change-password.command.js';
import type { IdGenerator } from '../../../../shared/application/ports/id-generator.js';
import { DomainError } from '../../../../shared/domain/domain-error.js';
import { HttpProblemError } from '../../../../platform/http/problem.js';
import type { CommandGateway } from '../../../../platform/messaging/command-gateway.js';
import type { CommandStatusStore } from '../../../../platform/messaging/command-status-store.js';

const WAIT_MS = 15_000;

/**
 * auth's PasswordHashWriter port: replaces a password hash through the users context's own command (`users.change_password`), and
 * waits for it: the old password must stop working before the client hears "changed".
 */
export class PasswordHashWriter {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly statuses: CommandStatusStore,
    private readonly ids: IdGenerator,
    private readonly correlationId: () => string,
  ) {}

  async replace(userId: string, passwordHash: string): Promise<void> {
    const commandId = this.ids.next();
    const command: ChangePasswordCommand = { type: 'users.change_password', userId, passwordHash };
    await this.gateway.accept(command, {
      commandId,
      resourceId: userId,
      caller: userId,
      correlationId: this.correlationId(),
    });
    const status = await this.statuses.waitUntilFinished(commandId, Date.now() + WAIT_MS);
    if (status?.status === 'succeeded') return;
    if (status?.status === 'failed') {
      throw new DomainError(status.error?.code ?? 'internal_error', status.error?.message ?? 'password change failed');
    }
    throw HttpProblemError.of('service_unavailable', 'the password change is still queued; try again shortly', {
      'Retry-After': '5',
    });
  }
}
