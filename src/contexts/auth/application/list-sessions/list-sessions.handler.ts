import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { SessionSummary } from '../../domain/session.js';
import type { SessionReader } from '../auth-ports.js';

export interface ListSessionsQuery {
  readonly userId: string;
  /** The caller's own session, marked `current` (absent when an admin lists someone's). */
  readonly currentSessionId?: string;
}

export interface SessionListItem extends SessionSummary {
  readonly current: boolean;
}

/** A user's live sessions, for them to recognise and end (ASVS 7.5.2), or for an admin. */
export class ListSessionsHandler {
  constructor(private readonly deps: { reader: SessionReader; clock: Clock }) {}

  async handle(query: ListSessionsQuery): Promise<SessionListItem[]> {
    const sessions = await this.deps.reader.listActive(query.userId, this.deps.clock.now());
    return sessions.map((s) => ({ ...s, current: s.id === query.currentSessionId }));
  }
}
