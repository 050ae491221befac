import type { Clock } from '../../../../shared/application/ports/clock.js';
import { RateLimitedError } from '../../domain/auth-errors.js';
import { PASSKEY_CHALLENGE_LIFETIME_MS } from '../../domain/passkeys.js';
import type { RateLimiter } from '../auth-ports.js';
import type { MfaUnitOfWork } from '../mfa-ports.js';
import type { ChallengeDigest, WebAuthnCeremonies } from '../passkey-ports.js';

export interface PasskeyAuthenticationOptionsCommand {
  /** Accepted, and used for nothing: the options are the same whether an account has it or not. */
  readonly email?: string;
  readonly ip: string;
}

/**
 * The request options of a passkey sign-in: a fresh challenge for a discoverable credential (no
 * allowCredentials: the authenticator offers the passkeys it holds for this RP, and its answer
 * names the account). The answer never depends on an email, so it tells nothing of accounts.
 * Counted toward the per-IP login limit, since anyone may ask.
 */
export class PasskeyAuthenticationOptionsHandler {
  constructor(
    private readonly deps: {
      uow: MfaUnitOfWork;
      ceremonies: WebAuthnCeremonies;
      digest: ChallengeDigest;
      limiter: RateLimiter;
      clock: Clock;
      loginsPerIpPerMinute: number;
    },
  ) {}

  async handle(command: PasskeyAuthenticationOptionsCommand): Promise<Record<string, unknown>> {
    const { uow, ceremonies, digest, limiter, clock } = this.deps;
    const now = clock.now();
    const ipLimit = await limiter.hit(`login:ip:${command.ip}`, this.deps.loginsPerIpPerMinute, 60, now);
    if (!ipLimit.allowed) throw new RateLimitedError(ipLimit.retryAfterSeconds);
    const { options, challenge } = await ceremonies.authenticationOptions();
    await uow.run(({ passkeyChallenges }) =>
      passkeyChallenges.insert({
        challengeHash: digest.digest(challenge),
        ceremony: 'authentication',
        userId: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_LIFETIME_MS),
      }),
    );
    return options;
  }
}
