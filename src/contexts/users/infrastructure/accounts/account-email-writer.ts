import type { ChangeEmailCommand } from '../../application/change-email/change-email.command.js';
import type { VerifyEmailCommand } from '../../application/verify-email/verify-email.command.js';
import type { IdGenerator } from '../../../../shared/application/ports/id-generator.js';
import { DomainError, ValidationError } from '../../../../shared/domain/domain-error.js';
import { Email } from '../../domain/email.js';
import { HttpProblemError } from '../../../../platform/http/problem.js';
import type { CommandGateway } from '../../../../platform/messaging/command-gateway.js';
import type { CommandStatusStore } from '../../../../platform/messaging/command-status-store.js';

const WAIT_MS = 15_000;

/**
 * auth's AccountEmailWriter port: a verified address and a change of address, as the users
 * context's own commands, awaited: the confirmation page says "done" only once the account shows it.
 */
export class AccountEmailWriter {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly statuses: CommandStatusStore,
    private readonly ids: IdGenerator,
  ) {}

  markVerified(userId: string): Promise<void> {
    const command: VerifyEmailCommand = { type: 'users.verify_email', userId };
    return this.run(command, userId);
  }

  changeEmail(userId: string, email: string): Promise<void> {
    const command: ChangeEmailCommand = { type: 'users.change_email', userId, email };
    return this.run(command, userId);
  }

  normalize(email: string, field: string): string {
    try {
      return Email.create(email).value;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(field, error.errors[0]!.message);
    }
  }

  private async run(command: VerifyEmailCommand | ChangeEmailCommand, userId: string): Promise<void> {
    const commandId = this.ids.next();
    await this.gateway.accept(command, { commandId, resourceId: userId, caller: userId, correlationId: commandId });
    const status = await this.statuses.waitUntilFinished(commandId, Date.now() + WAIT_MS);
    if (status?.status === 'succeeded') return;
    if (status?.status === 'failed') {
      throw new DomainError(status.error?.code ?? 'internal_error', status.error?.message ?? 'the change failed');
    }
    throw HttpProblemError.of('service_unavailable', 'the change is still queued; try again shortly', {
      'Retry-After': '5',
    });
  }
}
