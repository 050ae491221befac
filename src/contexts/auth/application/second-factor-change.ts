import type { Clock } from '../../../shared/application/ports/clock.js';
import type { AuthEventTypes } from '../domain/auth-events.js';
import type { MfaScope, MfaUnitOfWork } from './mfa-ports.js';
import type { SecondFactorCodes } from './second-factor-codes.js';
import type { RevokeUserSessionsHandler } from './revoke-user-sessions/revoke-user-sessions.handler.js';

/** What a use case that changes a second factor works with. */
export interface SecondFactorChangeDeps {
  readonly uow: MfaUnitOfWork;
  readonly codes: SecondFactorCodes;
  readonly revokeSessions: RevokeUserSessionsHandler;
  readonly clock: Clock;
}

export interface SecondFactorChange {
  readonly type: (typeof AuthEventTypes)[keyof typeof AuthEventTypes];
  readonly userId: string;
  /** The session that made the change: it stays signed in. Absent when an admin made it. */
  readonly sessionId?: string;
  /** The admin who made it, when one did. */
  readonly endedBy?: string;
}

/**
 * What every change of a second factor does besides itself, in its transaction: an audit event,
 * and the end of the user's other sessions (as a password change does), since whoever holds one of
 * them may be who the change is meant to shut out. Answers the sessions it ended.
 */
export async function recordSecondFactorChange(
  scope: MfaScope,
  deps: { revokeSessions: RevokeUserSessionsHandler; clock: Clock },
  change: SecondFactorChange,
): Promise<string[]> {
  const { userId, sessionId, endedBy } = change;
  await scope.outbox.append([
    {
      type: change.type,
      version: 1,
      occurredAt: deps.clock.now(),
      aggregateId: userId,
      aggregateVersion: 0,
      data: { userId, ...(sessionId && { sessionId }), ...(endedBy && { endedBy }) },
    },
  ]);
  return deps.revokeSessions.handle({
    userId,
    reason: 'mfa_changed',
    ...(sessionId && { exceptSessionId: sessionId }),
    ...(endedBy && { endedBy }),
  });
}
