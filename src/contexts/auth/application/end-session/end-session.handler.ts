import type { Clock } from '../../../../shared/application/ports/clock.js';
import { SessionNotFoundError } from '../../domain/auth-errors.js';
import type { AuthUnitOfWork } from '../auth-ports.js';

export interface EndSessionCommand {
  readonly userId: string;
  readonly sessionId: string;
}

/** Ends one of the caller's own live sessions; anyone else's, or an ended one, is not found. */
export class EndSessionHandler {
  constructor(private readonly deps: { uow: AuthUnitOfWork; clock: Clock }) {}

  async handle(command: EndSessionCommand): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.uow.run(async ({ sessions, outbox }) => {
      const session = await sessions.findById(command.sessionId);
      if (!session || session.userId !== command.userId || !session.isActive(now)) {
        throw new SessionNotFoundError(command.sessionId);
      }
      session.revoke('ended_by_user', now, command.userId);
      await sessions.update(session);
      await outbox.append(session.pullEvents());
    });
  }
}
