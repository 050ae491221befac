import { AuthEventTypes } from '../../domain/auth-events.js';
import { MfaAlreadyEnabledError, MfaCodeInvalidError } from '../../domain/auth-errors.js';
import { recordSecondFactorChange, type SecondFactorChangeDeps } from '../second-factor-change.js';

export interface ConfirmTotpCommand {
  readonly userId: string;
  readonly sessionId: string;
  readonly code: string;
}

/**
 * Confirms a pending TOTP enrolment with a first code: the factor is on from now, with its first
 * recovery codes; audited, and the user's other sessions end.
 */
export class ConfirmTotpHandler {
  constructor(private readonly deps: SecondFactorChangeDeps) {}

  async handle(command: ConfirmTotpCommand): Promise<{ recoveryCodes: string[]; revoked: string[] }> {
    const { uow, codes, clock } = this.deps;
    const now = clock.now();
    return uow.run(async (scope) => {
      const factor = await scope.totp.find(command.userId);
      if (!factor) throw new MfaCodeInvalidError('there is no TOTP enrolment to confirm: start one first');
      if (factor.confirmedAt) throw new MfaAlreadyEnabledError();
      if (!(await codes.useTotp(scope, factor, command.code, now))) throw new MfaCodeInvalidError();
      const recoveryCodes = await codes.newRecoveryCodes(scope, command.userId, now);
      const revoked = await recordSecondFactorChange(scope, this.deps, {
        type: AuthEventTypes.totpEnabled,
        userId: command.userId,
        sessionId: command.sessionId,
      });
      return { recoveryCodes, revoked };
    });
  }
}
