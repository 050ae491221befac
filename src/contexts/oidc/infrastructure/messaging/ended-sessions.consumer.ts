import type { Database } from '../../../../platform/db/database.js';
import { parseEvent } from '../../../../platform/messaging/event-envelope.js';
import type { Delivery } from '../../../../platform/messaging/message.js';
import type { SessionLinks } from '../persistence/postgres-session-links.js';

export const ENDED_SESSIONS_QUEUE = 'oidc.ended-sessions';
/** The auth event of a session that ended, for any reason (logout, revocation, deactivation…). */
export const SESSION_ENDED_EVENT = 'auth.session.revoked';

/**
 * When a Portico session ends, the grants it signed in are revoked with every token they issued:
 * refresh tokens already fail at once (findAccount asks the session), and this makes introspection
 * answer `active: false` for their access tokens too. Revoking twice changes nothing, so a
 * redelivery needs no inbox.
 */
export class EndedSessionsConsumer {
  constructor(
    private readonly database: Database,
    private readonly links: SessionLinks,
    private readonly revokeGrant: (grantId: string) => Promise<void>,
  ) {}

  async handle(delivery: Delivery): Promise<string> {
    const event = parseEvent(delivery);
    const sessionId = (event.data as { sessionId?: string }).sessionId;
    if (event.type !== SESSION_ENDED_EVENT || !sessionId) return 'ignored';
    return this.database.transaction(async () => {
      const grants = await this.links.releaseGrantsOf(sessionId);
      for (const grantId of grants) await this.revokeGrant(grantId);
      return grants.length > 0 ? 'applied' : 'ignored';
    });
  }
}
