import type { DomainEvent } from '../../../../shared/domain/domain-event.js';
import type { RevokeUserSessionsHandler } from '../../application/revoke-user-sessions/revoke-user-sessions.handler.js';

/** The user event types this context reacts to; the wire names are the contract, not an import. */
export const REVOKING_EVENTS: Readonly<Record<string, 'user_deactivated' | 'user_deleted'>> = {
  'users.user.deactivated': 'user_deactivated',
  'users.user.deleted': 'user_deleted',
};

/**
 * Ends every session of a user who was deactivated or deleted, inside the transaction that
 * deactivates or deletes them: once the change is visible, so is the revocation, and the answer
 * that reports it can wait until every API process has read it (API.md: refused at once).
 */
export function revokeSessionsOnUserEvent(revoke: RevokeUserSessionsHandler) {
  return async (event: DomainEvent): Promise<string[]> => {
    const reason = REVOKING_EVENTS[event.type];
    if (!reason) return [];
    return revoke.handle({ userId: event.aggregateId, reason });
  };
}
