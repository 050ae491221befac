import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { AuthUnitOfWork } from '../auth-ports.js';

export interface LogoutCommand {
  readonly sessionId: string;
}

/** Ends the caller's session; its refresh tokens stop working and its access tokens are refused. */
export class LogoutHandler {
  constructor(private readonly deps: { uow: AuthUnitOfWork; clock: Clock }) {}

  async handle(command: LogoutCommand): Promise<void> {
    await this.deps.uow.run(async ({ sessions, outbox }) => {
      const session = await sessions.findById(command.sessionId);
      if (!session) return;
      session.revoke('logout', this.deps.clock.now());
      const events = session.pullEvents();
      if (events.length === 0) return;
      await sessions.update(session);
      await outbox.append(events);
    });
  }
}
