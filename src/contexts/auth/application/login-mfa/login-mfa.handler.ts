import type { Clock } from '../../../../shared/application/ports/clock.js';
import { AuthEventTypes } from '../../domain/auth-events.js';
import { MfaCodeInvalidError, RateLimitedError } from '../../domain/auth-errors.js';
import type { CredentialsReader } from '../../domain/credentials.js';
import { isConfirmed, isOpen } from '../../domain/second-factors.js';
import type { AuthenticationMethod } from '../../domain/session.js';
import type { LoginAttempts, RateLimiter, RefreshTokenFactory, StartedSession } from '../auth-ports.js';
import type { MfaScope, MfaUnitOfWork } from '../mfa-ports.js';
import type { SecondFactorCodes } from '../second-factor-codes.js';
import type { SessionStarter } from '../session-starter.js';

/** The second step of a sign-in: the challenge's token and one code, a TOTP code or a recovery code. */
export type LoginMfaCommand = {
  readonly mfaToken: string;
  readonly ip: string;
  readonly userAgent?: string;
} & ({ readonly code: string } | { readonly recoveryCode: string });

/**
 * Finishes a sign-in the password began. A wrong code counts toward the email's lockout, as a
 * wrong password does (the password is known to whoever got here, so only the lockout stands
 * between them and guessing codes); the challenge stays open for a retry until it expires. The
 * challenge, the code and the new session are spent in one transaction: a token works once.
 */
export class LoginMfaHandler {
  constructor(
    private readonly deps: {
      uow: MfaUnitOfWork;
      credentials: CredentialsReader;
      codes: SecondFactorCodes;
      sessions: SessionStarter;
      attempts: LoginAttempts;
      limiter: RateLimiter;
      challengeTokens: RefreshTokenFactory;
      clock: Clock;
      loginsPerIpPerMinute: number;
    },
  ) {}

  async handle(command: LoginMfaCommand): Promise<StartedSession & { userId: string; amr: AuthenticationMethod[] }> {
    const { uow, credentials, attempts, limiter, clock } = this.deps;
    const now = clock.now();
    const ipLimit = await limiter.hit(`login:ip:${command.ip}`, this.deps.loginsPerIpPerMinute, 60, now);
    if (!ipLimit.allowed) throw new RateLimitedError(ipLimit.retryAfterSeconds);
    const tokenHash = this.deps.challengeTokens.digest(command.mfaToken);
    const challenge = await uow.run(({ challenges }) => challenges.find(tokenHash));
    const account = isOpen(challenge, now) ? await credentials.findByUserId(challenge.userId) : null;
    if (!account || account.status !== 'active')
      throw new MfaCodeInvalidError('the mfaToken is not valid: log in again');
    const lockKey = `login:email:${account.email.trim().toLowerCase()}`;
    const standing = await attempts.standing(lockKey, now);
    if (standing.lockedForSeconds > 0) throw new RateLimitedError(standing.lockedForSeconds);

    const amr: AuthenticationMethod[] = ['pwd', 'otp'];
    const client = { userAgent: command.userAgent ?? null, ip: command.ip };
    let tokens: StartedSession;
    try {
      // A throw rolls the spent challenge back: a wrong code leaves it open for a retry.
      tokens = await uow.run(async (scope) => {
        if (!(await scope.challenges.spend(tokenHash, now))) throw new MfaCodeInvalidError('the mfaToken was used');
        if (!(await this.secondFactorPasses(scope, account.userId, command, now))) throw new MfaCodeInvalidError();
        return this.deps.sessions.start(account, { now, client, amr }, scope);
      });
    } catch (error) {
      if (error instanceof MfaCodeInvalidError) {
        await attempts.recordFailure(lockKey, now);
        await this.recordFailure(account.userId, now);
      }
      throw error;
    }
    if (standing.failures > 0) await attempts.reset(lockKey);
    return { ...tokens, userId: account.userId, amr };
  }

  /** Whether the code is one of the account's, unused; a recovery code used is audited. */
  private async secondFactorPasses(scope: MfaScope, userId: string, command: LoginMfaCommand, now: Date) {
    const factor = await scope.totp.find(userId);
    if (!isConfirmed(factor)) return false;
    if ('code' in command) return this.deps.codes.useTotp(scope, factor, command.code, now);
    if (!(await this.deps.codes.spendRecoveryCode(scope, userId, command.recoveryCode, now))) return false;
    await scope.outbox.append([this.event(AuthEventTypes.recoveryCodeUsed, userId, now)]);
    return true;
  }

  /** Audited like a wrong password; in its own transaction, since the sign-in's rolled back. */
  private async recordFailure(userId: string, now: Date): Promise<void> {
    await this.deps.uow.run(({ outbox }) =>
      outbox.append([this.event(AuthEventTypes.secondFactorFailed, userId, now)]),
    );
  }

  private event(type: string, userId: string, now: Date) {
    return { type, version: 1, occurredAt: now, aggregateId: userId, aggregateVersion: 0, data: { userId } };
  }
}
