import { SnapshotAggregate } from '../../../shared/domain/snapshot-aggregate.js';
import { AuthEventTypes, type SessionRevocationReason } from './auth-events.js';

/** How long the token just replaced still works: a client that lost the response may retry. */
export const REUSE_GRACE_MS = 10_000;

export interface SessionSnapshot {
  readonly id: string;
  readonly userId: string;
  readonly roles: readonly string[];
  /** SHA-256 digests; the tokens themselves are never stored. */
  readonly currentTokenHash: string;
  readonly previousTokenHash: string | null;
  readonly rotatedAt: Date | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly revokedReason: SessionRevocationReason | null;
  readonly version: number;
}

export type RotationOutcome = 'rotated' | 'reused' | 'invalid';

/**
 * A login: one refresh-token family. Every refresh replaces the current token. Presenting the
 * token just replaced within the grace period is a retry; presenting any older one means the
 * family leaked, so the whole session is revoked.
 */
export class Session extends SnapshotAggregate<SessionSnapshot> {
  private constructor(snapshot: SessionSnapshot) {
    super(snapshot);
  }

  static start(
    props: { id: string; userId: string; roles: readonly string[]; tokenHash: string; lifetimeMs: number },
    now: Date,
  ): Session {
    const session = new Session({
      id: props.id,
      userId: props.userId,
      roles: props.roles,
      currentTokenHash: props.tokenHash,
      previousTokenHash: null,
      rotatedAt: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + props.lifetimeMs),
      revokedAt: null,
      revokedReason: null,
      version: 0,
    });
    session.record({
      type: AuthEventTypes.loginSucceeded,
      version: 1,
      occurredAt: now,
      data: { userId: props.userId, sessionId: props.id },
    });
    return session;
  }

  static restore(snapshot: SessionSnapshot): Session {
    return new Session(snapshot);
  }

  get userId(): string {
    return this.state.userId;
  }

  get roles(): readonly string[] {
    return this.state.roles;
  }

  get currentTokenHash(): string {
    return this.state.currentTokenHash;
  }

  isActive(now: Date): boolean {
    return this.state.revokedAt === null && now < this.state.expiresAt;
  }

  /** Replaces the refresh token presented as `presentedHash` by `nextHash`, if the rules allow. */
  rotate(presentedHash: string, nextHash: string, now: Date): RotationOutcome {
    if (!this.isActive(now)) return 'invalid';
    const isCurrent = presentedHash === this.state.currentTokenHash;
    const isGraceRetry =
      presentedHash === this.state.previousTokenHash &&
      this.state.rotatedAt !== null &&
      now.getTime() - this.state.rotatedAt.getTime() <= REUSE_GRACE_MS;
    if (isCurrent) {
      this.state = { ...this.state, previousTokenHash: presentedHash, currentTokenHash: nextHash, rotatedAt: now };
      return 'rotated';
    }
    if (isGraceRetry) {
      // The previous token stays "previous": a retry must not extend its grace.
      this.state = { ...this.state, currentTokenHash: nextHash };
      return 'rotated';
    }
    this.revoke('refresh_token_reused', now);
    return 'reused';
  }

  /** Idempotent: revoking a revoked session changes nothing and records nothing. */
  revoke(reason: SessionRevocationReason, now: Date): void {
    if (this.state.revokedAt !== null) return;
    this.state = { ...this.state, revokedAt: now, revokedReason: reason };
    const data = { userId: this.state.userId, sessionId: this.id, reason };
    if (reason === 'refresh_token_reused') {
      this.record({ type: AuthEventTypes.refreshTokenReused, version: 1, occurredAt: now, data });
    }
    this.record({ type: AuthEventTypes.sessionRevoked, version: 1, occurredAt: now, data });
  }
}
