import type { EventOutbox, UnitOfWork } from '../../../shared/application/ports/unit-of-work.js';
import type { CredentialsReader } from '../domain/credentials.js';
import type { SessionRepository } from '../domain/session-repository.js';
import type { AuthenticationMethod, Session, SessionSummary } from '../domain/session.js';

/** Opaque 256-bit refresh tokens; only their digest is ever stored. */
export interface RefreshTokenFactory {
  issue(): { token: string; hash: string };
  digest(token: string): string;
}

/** What an access token says of its caller: who, which session, and how and when they authenticated. */
export interface AccessTokenClaims {
  readonly userId: string;
  readonly sessionId: string;
  readonly roles: readonly string[];
  /** RFC 8176 `amr`: the methods of the sign-in. */
  readonly amr: readonly AuthenticationMethod[];
  /** `auth_time`: the sign-in, kept across refreshes. */
  readonly authTime: Date;
}

export interface AccessTokenIssuer {
  issue(claims: AccessTokenClaims): Promise<string>;
  readonly lifetimeSeconds: number;
}

export interface LoginStanding {
  readonly lockedForSeconds: number;
  readonly failures: number;
}

/** Consecutive login failures per submitted email (whether an account has it or not). */
export interface LoginAttempts {
  /** The key's lock, and its failures on record: with none, a success has nothing to reset. */
  standing(key: string, now: Date): Promise<LoginStanding>;
  recordFailure(key: string, now: Date): Promise<void>;
  reset(key: string): Promise<void>;
}

/** Re-hashes a password that verified against an outdated hash (old parameters, bcrypt import). */
export interface PasswordHashUpgrader {
  upgrade(userId: string, previousHash: string, plain: string): Promise<void>;
}

/** The query side of sessions: what a session list shows, without locking anything. */
export interface SessionReader {
  /** The user's live sessions, most recently used first. */
  listActive(userId: string, now: Date): Promise<SessionSummary[]>;
}

/** The claims of a session's access tokens. */
export function claimsOf(session: Session): AccessTokenClaims {
  const { userId, id: sessionId, roles, amr, authenticatedAt: authTime } = session;
  return { userId, sessionId, roles, amr, authTime };
}

export interface AuthScope {
  readonly sessions: SessionRepository;
  readonly outbox: EventOutbox;
}

export type AuthUnitOfWork = UnitOfWork<AuthScope>;

export interface TokenPair {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly refreshToken: string;
  readonly refreshExpiresIn: number;
}

/** The tokens of a session just started, and the session they belong to. */
export type StartedSession = TokenPair & { readonly sessionId: string };

export type { CredentialsReader };
export type { RateLimiter } from '../../../shared/application/ports/rate-limiter.js';
