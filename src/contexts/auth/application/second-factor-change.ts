import type { Clock } from '../../../shared/application/ports/clock.js';
import { MailEventTypes, type AuthEventTypes, type MailEventData } from '../domain/auth-events.js';
import type { CredentialsReader } from '../domain/credentials.js';
import type { MfaScope, MfaUnitOfWork } from './mfa-ports.js';
import type { SecondFactorCodes } from './second-factor-codes.js';
import type { RevokeUserSessionsHandler } from './revoke-user-sessions/revoke-user-sessions.handler.js';

/** What a use case that changes a second factor works with. */
export interface SecondFactorChangeDeps {
  readonly uow: MfaUnitOfWork;
  readonly codes: SecondFactorCodes;
  readonly revokeSessions: RevokeUserSessionsHandler;
  readonly credentials: CredentialsReader;
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
 * What every change of a second factor does besides itself, in its transaction: an audit event; a
 * notice to the account's address, so an owner who did not make the change hears of it even when
 * the attacker holds every session; and the end of the user's other sessions (as a password change
 * does), since whoever holds one of them may be who the change is meant to shut out. Answers the
 * sessions it ended.
 */
export async function recordSecondFactorChange(
  scope: MfaScope,
  deps: Pick<SecondFactorChangeDeps, 'revokeSessions' | 'credentials' | 'clock'>,
  change: SecondFactorChange,
): Promise<string[]> {
  const { userId, sessionId, endedBy } = change;
  const occurredAt = deps.clock.now();
  const event = { version: 1, occurredAt, aggregateId: userId, aggregateVersion: 0 };
  const account = await deps.credentials.findByUserId(userId);
  const notice: MailEventData | null = account && {
    email: account.email,
    username: account.username,
    locale: account.locale,
    change: change.type.replace(/^auth\.mfa\./, ''),
    by: endedBy ? 'admin' : 'user',
  };
  await scope.outbox.append([
    { ...event, type: change.type, data: { userId, ...(sessionId && { sessionId }), ...(endedBy && { endedBy }) } },
    // A notice is an event other contexts consume, whose envelope counts versions from 1.
    ...(notice ? [{ ...event, aggregateVersion: 1, type: MailEventTypes.secondFactorChanged, data: notice }] : []),
  ]);
  return deps.revokeSessions.handle({
    userId,
    reason: 'mfa_changed',
    ...(sessionId && { exceptSessionId: sessionId }),
    ...(endedBy && { endedBy }),
  });
}
