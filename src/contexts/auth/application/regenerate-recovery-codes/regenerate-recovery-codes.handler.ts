import { AuthEventTypes } from '../../domain/auth-events.js';
import { MfaNotEnabledError } from '../../domain/auth-errors.js';
import { isConfirmed } from '../../domain/second-factors.js';
import { recordSecondFactorChange, type SecondFactorChangeDeps } from '../second-factor-change.js';

export interface RegenerateRecoveryCodesCommand {
  readonly userId: string;
  readonly sessionId: string;
}

/** A new set of recovery codes; the old set is void at once. Audited; other sessions end. */
export class RegenerateRecoveryCodesHandler {
  constructor(private readonly deps: SecondFactorChangeDeps) {}

  async handle(command: RegenerateRecoveryCodesCommand): Promise<{ recoveryCodes: string[]; revoked: string[] }> {
    const now = this.deps.clock.now();
    return this.deps.uow.run(async (scope) => {
      if (!isConfirmed(await scope.totp.find(command.userId))) throw new MfaNotEnabledError();
      const recoveryCodes = await this.deps.codes.newRecoveryCodes(scope, command.userId, now);
      const revoked = await recordSecondFactorChange(scope, this.deps, {
        type: AuthEventTypes.recoveryCodesRegenerated,
        userId: command.userId,
        sessionId: command.sessionId,
      });
      return { recoveryCodes, revoked };
    });
  }
}
