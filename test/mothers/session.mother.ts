import { AuthEventTypes, type SessionRevocationReason } from '../../src/contexts/auth/domain/auth-events.js';
import { Session, type SessionSnapshot } from '../../src/contexts/auth/domain/session.js';
import type { DomainEvent } from '../../src/shared/domain/domain-event.js';
import { CLOCK_START } from '../support/in-memory/fixed-clock.js';
import { UserMother } from './user.mother.js';

let counter = 0;
const unique = (): number => {
  counter += 1;
  return counter;
};

export const SESSION_STARTED_AT = new Date('2026-01-01T00:00:00Z');
export const SESSION_LIFETIME_MS = 30 * 24 * 3_600_000;

export interface SessionProps {
  id?: string;
  userId?: string;
  roles?: readonly string[];
  tokenHash?: string;
  lifetimeMs?: number;
}

/** Object mother: sessions as a login starts them, or as a repository loads them. */
export const SessionMother = {
  id(n = unique()): string {
    return `00000000-0000-7000-a000-${String(n).padStart(12, '0')}`;
  },

  /** Freshly started: auth.login.succeeded still to be pulled, version 1. */
  started(props: SessionProps = {}, now = SESSION_STARTED_AT): Session {
    const n = unique();
    return Session.start(
      {
        id: props.id ?? SessionMother.id(n),
        userId: props.userId ?? UserMother.id(),
        roles: props.roles ?? ['user'],
        tokenHash: props.tokenHash ?? `token-hash-${n}`,
        lifetimeMs: props.lifetimeMs ?? SESSION_LIFETIME_MS,
      },
      now,
    );
  },

  /** As loaded from storage: no events to pull, version 1. */
  persisted(props: SessionProps = {}, now = SESSION_STARTED_AT): Session {
    return Session.restore(SessionMother.started(props, now).snapshot());
  },

  /** Any stored state, e.g. one already rotated or revoked. */
  restored(overrides: Partial<SessionSnapshot> = {}): Session {
    return Session.restore({ ...SessionMother.persisted().snapshot(), ...overrides });
  },

  /** auth.session.revoked as revoking `session` (stored at version 1) records it, at the fixed clock's start. */
  revokedEvent(
    session: Session,
    reason: SessionRevocationReason,
    occurredAt: Date = CLOCK_START,
    endedBy?: string,
  ): DomainEvent {
    return {
      type: AuthEventTypes.sessionRevoked,
      version: 1,
      occurredAt,
      aggregateId: session.id,
      aggregateVersion: 2,
      data: { userId: session.userId, sessionId: session.id, reason, ...(endedBy && { endedBy }) },
    };
  },
};
