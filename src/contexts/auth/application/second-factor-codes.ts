import type { Sealer } from '../../../shared/application/ports/sealer.js';
import { acceptsStep, RECOVERY_CODE_COUNT, type TotpFactor } from '../domain/second-factors.js';
import type { MfaScope, RecoveryCodeFactory, TotpAlgorithm } from './mfa-ports.js';

/** Checking and spending the codes of second factors, inside the caller's transaction. */
export class SecondFactorCodes {
  constructor(private readonly deps: { totp: TotpAlgorithm; sealer: Sealer; recoveryCodes: RecoveryCodeFactory }) {}

  /**
   * Whether `code` is a code of `factor` at `now` (±1 step) not accepted before; when it is, its
   * step is recorded (and a pending factor confirmed), so the same code never works twice.
   */
  async useTotp(scope: MfaScope, factor: TotpFactor, code: string, now: Date): Promise<boolean> {
    const step = this.deps.totp.matchingStep(this.deps.sealer.unseal(factor.sealedSecret), code, now);
    if (step === null || !acceptsStep(factor, step)) return false;
    await scope.totp.useStep(factor.userId, step, factor.confirmedAt ?? now);
    return true;
  }

  /** A new set of recovery codes for the user, the old set void; the codes are shown once, here. */
  async newRecoveryCodes(scope: MfaScope, userId: string, now: Date): Promise<string[]> {
    const { codes, hashes } = this.deps.recoveryCodes.issue(RECOVERY_CODE_COUNT);
    await scope.recoveryCodes.replace(userId, hashes, now);
    return codes;
  }

  /** Spends one of the user's recovery codes: false when it is not one, or was used. */
  spendRecoveryCode(scope: MfaScope, userId: string, code: string, now: Date): Promise<boolean> {
    return scope.recoveryCodes.spend(userId, this.deps.recoveryCodes.digest(code), now);
  }
}
