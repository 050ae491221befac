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
  /** The login, or the latest refresh: what a user sees to tell their sessions apart. */
  readonly lastUsedAt: Date;
  /** The client that signed in (its User-Agent, its address), as it said; for the session list only. */
  readonly userAgent: string | null;
  readonly ip: string | null;
  /** Whether a second factor was part of the sign-in. */
  readonly mfa: boolean;
  /**
   * How the sign-in authenticated (RFC 8176 `amr` values: `pwd`, `otp`, `hwk`): every access token
   * of the session says so, and its `auth_time` is the session's `createdAt`, since a refresh
   * proves nothing new about the user.
   */
  readonly amr: readonly AuthenticationMethod[];
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly revokedReason: SessionRevocationReason | null;
  readonly version: number;
}

export interface SessionStart {
  readonly id: string;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly tokenHash: string;
  readonly lifetimeMs: number;
  readonly client?: SessionClient;
  /** The methods of the sign-in; a password alone when absent. */
  readonly amr?: readonly AuthenticationMethod[];
}

/** RFC 8176 names: a password, a one-time code (TOTP or a recovery code), a hardware key (a passkey). */
export type AuthenticationMethod = 'pwd' | 'otp' | 'hwk';

/** What the client said of itself at sign-in; never trusted for anything but display. */
export interface SessionClient {
  readonly userAgent: string | null;
  readonly ip: string | null;
}

/** Longer User-Agent strings are cut: they are for display, and a client chooses their length. */
export const MAX_USER_AGENT_LENGTH = 512;

export type SessionSummary = Pick<SessionSnapshot, 'id' | 'createdAt' | 'lastUsedAt' | 'userAgent' | 'ip' | 'mfa'>;

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

  static start(props: SessionStart, now: Date): Session {
    const session = new Session({
      id: props.id,
      userId: props.userId,
      roles: props.roles,
      currentTokenHash: props.tokenHash,
      previousTokenHash: null,
      rotatedAt: null,
      createdAt: now,
      lastUsedAt: now,
      userAgent: props.client?.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
      ip: props.client?.ip ?? null,
      // A second factor is any method beyond the password (a passkey is one on its own).
      mfa: (props.amr ?? ['pwd']).some((method) => method !== 'pwd'),
      amr: props.amr ?? ['pwd'],
      expiresAt: new Date(now.getTime() + props.lifetimeMs),
      revokedAt: null,
      revokedReason: null,
      version: 0,
    });
    session.record({
      type: AuthEventTypes.loginSucceeded,
      version: 1,
      occurredAt: now,
      data: { userId: props.userId, sessionId: props.id, amr: [...(props.amr ?? ['pwd'])] },
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

  get amr(): readonly AuthenticationMethod[] {
    return this.state.amr;
  }

  /** When the user authenticated: the sign-in that started the session (`auth_time`). */
  get authenticatedAt(): Date {
    return this.state.createdAt;
  }

  get currentTokenHash(): string {
    return this.state.currentTokenHash;
  }

  /** What a session list shows of it (no token digests). */
  get summary(): SessionSummary {
    const { id, createdAt, lastUsedAt, userAgent, ip, mfa } = this.state;
    return { id, createdAt, lastUsedAt, userAgent, ip, mfa };
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
      this.state = {
        ...this.state,
        previousTokenHash: presentedHash,
        currentTokenHash: nextHash,
        rotatedAt: now,
        lastUsedAt: now,
      };
      return 'rotated';
    }
    if (isGraceRetry) {
      // The previous token stays "previous": a retry must not extend its grace.
      this.state = { ...this.state, currentTokenHash: nextHash, lastUsedAt: now };
      return 'rotated';
    }
    this.revoke('refresh_token_reused', now);
    return 'reused';
  }

  /**
   * Idempotent: revoking a revoked session changes nothing and records nothing. `endedBy` is the
   * user who ended it, when that is someone's decision (an admin, or the user from another session).
   */
  revoke(reason: SessionRevocationReason, now: Date, endedBy?: string): void {
    if (this.state.revokedAt !== null) return;
    this.state = { ...this.state, revokedAt: now, revokedReason: reason };
    const data = { userId: this.state.userId, sessionId: this.id, reason, ...(endedBy && { endedBy }) };
    if (reason === 'refresh_token_reused') {
      this.record({ type: AuthEventTypes.refreshTokenReused, version: 1, occurredAt: now, data });
    }
    this.record({ type: AuthEventTypes.sessionRevoked, version: 1, occurredAt: now, data });
  }
}
