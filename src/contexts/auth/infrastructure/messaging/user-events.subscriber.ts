import type { Database } from '../../../../platform/db/database.js';
import { parseEvent } from '../../../../platform/messaging/event-envelope.js';
import type { Inbox } from '../../../../platform/messaging/inbox.js';
import type { Delivery } from '../../../../platform/messaging/message.js';
import type { RevokeUserSessionsHandler } from '../../application/revoke-user-sessions/revoke-user-sessions.handler.js';

/** The user event types this context reacts to; the wire names are the contract, not an import. */
const REVOKING_EVENTS: Readonly<Record<string, 'user_deactivated' | 'user_deleted'>> = {
  'users.user.deactivated': 'user_deactivated',
  'users.user.deleted': 'user_deleted',
};

/** Ends every session of a user who was deactivated or deleted, exactly once per event. */
export class UserEventsSubscriber {
  constructor(
    private readonly database: Database,
    private readonly inbox: Inbox,
    private readonly revoke: RevokeUserSessionsHandler,
  ) {}

  async handle(delivery: Delivery): Promise<string[]> {
    const event = parseEvent(delivery);
    const reason = REVOKING_EVENTS[event.type];
    if (!reason) return [];
    return this.database.transaction(async () => {
      if (!(await this.inbox.claim('auth.user-events', delivery.messageId))) return [];
      return this.revoke.handle({ userId: event.aggregateId, reason });
    });
  }
}
