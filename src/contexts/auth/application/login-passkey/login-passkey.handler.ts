import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { IdGenerator } from '../../../../shared/application/ports/id-generator.js';
import { AuthEventTypes } from '../../domain/auth-events.js';
import { EmailNotVerifiedError, PasskeyAuthenticationFailedError, RateLimitedError } from '../../domain/auth-errors.js';
import type { CredentialsReader } from '../../domain/credentials.js';
import { acceptsCounter, type Passkey } from '../../domain/passkeys.js';
import type { AuthenticationMethod } from '../../domain/session.js';
import type { RateLimiter, StartedSession } from '../auth-ports.js';
import type { MfaUnitOfWork } from '../mfa-ports.js';
import type { ChallengeDigest, WebAuthnCeremonies, WebAuthnResponse } from '../passkey-ports.js';
import type { SessionStarter } from '../session-starter.js';

export interface LoginPasskeyCommand {
  readonly response: WebAuthnResponse;
  readonly ip: string;
  readonly userAgent?: string;
}

/** A passkey proves possession of a key and (usually) the user's PIN or biometric: `hwk` on its own. */
const AMR: AuthenticationMethod[] = ['hwk'];

/**
 * A sign-in with a discoverable passkey, no password: the response's challenge must be an open
 * sign-in challenge (spent here, whatever the outcome), its credential one of a live account's,
 * its signature good for the configured origins and RP ID, and its counter past the stored one (a
 * counter that does not grow says the key was cloned). Every refusal answers the same
 * `passkey_invalid` and is audited like a failed login; the per-IP login limit applies. The email
 * lockout does not: nothing here can be guessed, and a locked password must not lock the passkey.
 */
export class LoginPasskeyHandler {
  constructor(
    private readonly deps: {
      uow: MfaUnitOfWork;
      credentials: CredentialsReader;
      ceremonies: WebAuthnCeremonies;
      digest: ChallengeDigest;
      sessions: SessionStarter;
      limiter: RateLimiter;
      ids: IdGenerator;
      clock: Clock;
      loginsPerIpPerMinute: number;
      requireEmailVerification?: boolean;
    },
  ) {}

  async handle(
    command: LoginPasskeyCommand,
  ): Promise<StartedSession & { userId: string; amr: AuthenticationMethod[] }> {
    const { limiter, clock } = this.deps;
    const now = clock.now();
    const ipLimit = await limiter.hit(`login:ip:${command.ip}`, this.deps.loginsPerIpPerMinute, 60, now);
    if (!ipLimit.allowed) throw new RateLimitedError(ipLimit.retryAfterSeconds);
    const { passkey, account, counter } = await this.verified(command.response, now);
    // As for a password: only once the key verified, so the refusal tells nothing to someone without it.
    if (this.deps.requireEmailVerification && !account.emailVerified) throw new EmailNotVerifiedError();
    const client = { userAgent: command.userAgent ?? null, ip: command.ip };
    const tokens = await this.deps.uow.run(async (scope) => {
      // Locked: of two sign-ins with one counter value, the second finds it used.
      const current = await scope.passkeys.findByCredentialId(passkey.credentialId);
      if (!current || !acceptsCounter(current.counter, counter)) throw new PasskeyAuthenticationFailedError();
      await scope.passkeys.recordUse(passkey.id, counter, now);
      return this.deps.sessions.start(account, { now, client, amr: AMR }, scope);
    });
    return { ...tokens, userId: account.userId, amr: AMR };
  }

  /** The passkey and account the response proves, and the counter it presented; a refusal otherwise. */
  private async verified(response: WebAuthnResponse, now: Date) {
    const { uow, ceremonies, digest, credentials } = this.deps;
    const read = ceremonies.readResponse(response);
    if (!read) throw await this.refused(null, now);
    const challenge = await uow.run(({ passkeyChallenges }) =>
      passkeyChallenges.spend(digest.digest(read.challenge), 'authentication', now),
    );
    const passkey = challenge ? await uow.run(({ passkeys }) => passkeys.findByCredentialId(read.credentialId)) : null;
    const account = passkey ? await credentials.findByUserId(passkey.userId) : null;
    if (!passkey || !account || account.status !== 'active') throw await this.refused(passkey, now);
    const verified = await ceremonies.verifyAuthentication(response, read.challenge, passkey);
    if (!verified || !acceptsCounter(passkey.counter, verified.counter)) throw await this.refused(passkey, now);
    return { passkey, account, counter: verified.counter };
  }

  /** Audited like a wrong password (with the user, when the credential is known); answers the error to throw. */
  private async refused(passkey: Passkey | null, now: Date): Promise<PasskeyAuthenticationFailedError> {
    const userId = passkey?.userId ?? null;
    await this.deps.uow.run(({ outbox }) =>
      outbox.append([
        {
          type: AuthEventTypes.loginFailed,
          version: 1,
          occurredAt: now,
          aggregateId: userId ?? this.deps.ids.next(),
          aggregateVersion: 0,
          data: { userId, method: 'passkey' },
        },
      ]),
    );
    return new PasskeyAuthenticationFailedError();
  }
}
