import type { IdGenerator } from '../../../../shared/application/ports/id-generator.js';
import { DomainError } from '../../../../shared/domain/domain-error.js';
import { HttpProblemError } from '../../../../platform/http/problem.js';
import type { Command } from '../../../../shared/application/command-bus.js';
import type { CommandGateway } from '../../../../platform/messaging/command-gateway.js';
import type { CommandStatusStore } from '../../../../platform/messaging/command-status-store.js';

const WAIT_MS = 15_000;

/**
 * A users command sent on the account owner's behalf and waited for: the ports auth calls this way
 * (a new password hash, a verified or changed address) answer only once the account shows the
 * change, so the old password stops working, or the page says "done", when the user is told so.
 */
export class AwaitedCommands {
  constructor(
    private readonly gateway: CommandGateway,
    private readonly statuses: CommandStatusStore,
    private readonly ids: IdGenerator,
  ) {}

  /** `what` names the change in the 503 a user sees when it is still queued after WAIT_MS. */
  async run(command: Command, userId: string, what: string): Promise<void> {
    const commandId = this.ids.next();
    await this.gateway.accept(command, { commandId, resourceId: userId, caller: userId, correlationId: commandId });
    const status = await this.statuses.waitUntilFinished(commandId, Date.now() + WAIT_MS);
    if (status?.status === 'succeeded') return;
    if (status?.status === 'failed') {
      throw new DomainError(status.error?.code ?? 'internal_error', status.error?.message ?? `${what} failed`);
    }
    throw HttpProblemError.of('service_unavailable', `${what} is still queued; try again shortly`, {
      'Retry-After': '5',
    });
  }
}
