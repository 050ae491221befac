import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { IdGenerator } from '../../../../shared/application/ports/id-generator.js';
import type { PasswordHasher } from '../../../../shared/application/ports/password-hasher.js';
import { AuthEventTypes } from '../../domain/auth-events.js';
import { EmailNotVerifiedError, InvalidCredentialsError, RateLimitedError } from '../../domain/auth-errors.js';
import type { Credentials, CredentialsReader } from '../../domain/credentials.js';
import { SessionStarter } from '../session-starter.js';
import type { MfaRequired, SecondFactorGate } from './second-factor-gate.js';
import type {
  AccessTokenIssuer,
  AuthUnitOfWork,
  LoginAttempts,
  PasswordHashUpgrader,
  RateLimiter,
  RefreshTokenFactory,
  StartedSession,
} from '../auth-ports.js';
import type { LoginCommand } from './login.command.js';

/** Tokens, or the second factor the account asks for first. */
export type LoginResult = (StartedSession & { userId: string }) | MfaRequired;

export interface LoginSettings {
  readonly loginsPerIpPerMinute: number;
  readonly sessionLifetimeMs: number;
  /** A real hash of a random password: unknown emails are verified against it, so they take as long. */
  readonly dummyHash: Promise<string>;
  /** REQUIRE_EMAIL_VERIFICATION: the right password of an unverified account answers `email_not_verified`. */
  readonly requireEmailVerification?: boolean;
}

/**
 * Password login. Every failure (unknown email, wrong password, deactivated account) costs one
 * hash verification and answers the same `invalid_credentials`, so neither the answer nor its
 * timing tells whether an account exists.
 */
export class LoginHandler {
  constructor(
    private readonly deps: {
      credentials: CredentialsReader;
      hasher: PasswordHasher;
      attempts: LoginAttempts;
      limiter: RateLimiter;
      uow: AuthUnitOfWork;
      refreshTokens: RefreshTokenFactory;
      accessTokens: AccessTokenIssuer;
      ids: IdGenerator;
      clock: Clock;
      settings: LoginSettings;
      upgrader?: PasswordHashUpgrader;
      /** Accounts with a second factor answer a challenge instead of tokens. */
      secondFactors?: SecondFactorGate;
    },
  ) {
    const { uow, refreshTokens, accessTokens, ids, settings } = deps;
    this.sessions = new SessionStarter({
      uow,
      refreshTokens,
      accessTokens,
      ids,
      sessionLifetimeMs: settings.sessionLifetimeMs,
    });
  }

  private readonly sessions: SessionStarter;

  async handle(command: LoginCommand): Promise<LoginResult> {
    const { credentials, hasher, attempts, limiter, settings, clock } = this.deps;
    const now = clock.now();
    const email = command.email.trim().toLowerCase();
    const ipLimit = await limiter.hit(`login:ip:${command.ip}`, settings.loginsPerIpPerMinute, 60, now);
    if (!ipLimit.allowed) throw new RateLimitedError(ipLimit.retryAfterSeconds);
    const standing = await attempts.standing(`login:email:${email}`, now);
    if (standing.lockedForSeconds > 0) throw new RateLimitedError(standing.lockedForSeconds);

    const [account, dummyHash] = await Promise.all([credentials.findByEmail(email), settings.dummyHash]);
    const verified = await hasher.verify(account?.passwordHash ?? dummyHash, command.password);
    if (!account || !verified || account.status !== 'active') {
      await attempts.recordFailure(`login:email:${email}`, now);
      await this.recordFailure(account, now);
      throw new InvalidCredentialsError();
    }
    // Only after the password verified: the refusal then tells nothing to someone who does not know it.
    if (settings.requireEmailVerification && !account.emailVerified) throw new EmailNotVerifiedError();
    if (this.deps.upgrader && hasher.needsRehash(account.passwordHash)) {
      // The only moment the plaintext is known again: upgrade the hash, but never fail a login for it.
      await this.deps.upgrader.upgrade(account.userId, account.passwordHash, command.password).catch(() => undefined);
    }
    // The lockout count stays until the second factor passes too: its wrong codes add to it.
    const challenge = await this.deps.secondFactors?.challenge(account.userId, now);
    if (challenge) return challenge;
    if (standing.failures > 0) await attempts.reset(`login:email:${email}`);
    const client = { userAgent: command.userAgent ?? null, ip: command.ip };
    const tokens = await this.sessions.start(account, { now, client, amr: ['pwd'] });
    return { ...tokens, userId: account.userId };
  }

  /**
   * Every failure is audited, for unknown emails too (with no user and no email, which would be
   * personal data): the same write on both paths keeps their timing alike.
   */
  private async recordFailure(account: Credentials | null, now: Date): Promise<void> {
    await this.deps.uow.run(({ outbox }) =>
      outbox.append([
        {
          type: AuthEventTypes.loginFailed,
          version: 1,
          occurredAt: now,
          aggregateId: account?.userId ?? this.deps.ids.next(),
          aggregateVersion: 0,
          data: { userId: account?.userId ?? null },
        },
      ]),
    );
  }
}
