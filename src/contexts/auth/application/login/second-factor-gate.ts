import {
  methodsFrom,
  MFA_CHALLENGE_LIFETIME_MS,
  type SecondFactorMethod,
  type SecondFactorOverviewReader,
} from '../../domain/second-factors.js';
import type { RefreshTokenFactory } from '../auth-ports.js';
import type { MfaUnitOfWork } from '../mfa-ports.js';

/** What a password sign-in of an account with a second factor answers instead of tokens. */
export interface MfaRequired {
  readonly mfaRequired: true;
  readonly mfaToken: string;
  readonly methods: SecondFactorMethod[];
}

/**
 * Between the password and the tokens: the account's second factors, and the challenge that lets
 * the sign-in finish with one of them. The `mfaToken` is 256 random bits kept by digest only,
 * single use, for MFA_CHALLENGE_LIFETIME_MS.
 */
export class SecondFactorGate {
  constructor(
    private readonly deps: { uow: MfaUnitOfWork; factors: SecondFactorOverviewReader; tokens: RefreshTokenFactory },
  ) {}

  /** The methods the account can finish a sign-in with; empty when it has no second factor. */
  async methodsOf(userId: string): Promise<SecondFactorMethod[]> {
    return methodsFrom(await this.deps.factors.overviewOf(userId));
  }

  /** Opens a challenge for the account, or answers null when it has no second factor. */
  async challenge(userId: string, now: Date): Promise<MfaRequired | null> {
    const methods = await this.methodsOf(userId);
    if (methods.length === 0) return null;
    const { token, hash } = this.deps.tokens.issue();
    await this.deps.uow.run(({ challenges }) =>
      challenges.insert({
        tokenHash: hash,
        userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + MFA_CHALLENGE_LIFETIME_MS),
        usedAt: null,
      }),
    );
    return { mfaRequired: true, mfaToken: token, methods };
  }
}
