import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { SessionRevocationReason } from '../../domain/auth-events.js';
import type { AuthUnitOfWork } from '../auth-ports.js';

export interface RevokeUserSessionsCommand {
  readonly userId: string;
  readonly reason: SessionRevocationReason;
  /** The session that asked (a password change, "end all others", keep it). */
  readonly exceptSessionId?: string;
  /** Who decided it, when someone did (an admin, or the user ending their other sessions). */
  readonly endedBy?: string;
}

/** Revokes every live session of a user: deactivation, deletion, password change, "end all". */
export class RevokeUserSessionsHandler {
  constructor(private readonly deps: { uow: AuthUnitOfWork; clock: Clock }) {}

  async handle(command: RevokeUserSessionsCommand): Promise<string[]> {
    const now = this.deps.clock.now();
    return this.deps.uow.run(async ({ sessions, outbox }) => {
      const revoked: string[] = [];
      for (const session of await sessions.findActiveByUser(command.userId, now)) {
        if (session.id === command.exceptSessionId) continue;
        session.revoke(command.reason, now, command.endedBy);
        await sessions.update(session);
        await outbox.append(session.pullEvents());
        revoked.push(session.id);
      }
      return revoked;
    });
  }
}
