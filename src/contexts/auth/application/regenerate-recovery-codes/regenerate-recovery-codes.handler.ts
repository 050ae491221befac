import type { Clock } from '../../../../shared/application/ports/clock.js';
import { AuthEventTypes } from '../../domain/auth-events.js';
import { MfaNotEnabledError } from '../../domain/auth-errors.js';
import { isConfirmed } from '../../domain/second-factors.js';
import type { MfaUnitOfWork } from '../mfa-ports.js';
import type { RevokeUserSessionsHandler } from '../revoke-user-sessions/revoke-user-sessions.handler.js';
import { recordSecondFactorChange } from '../second-factor-change.js';
import type { SecondFactorCodes } from '../second-factor-codes.js';

export interface RegenerateRecoveryCodesCommand {
  readonly userId: string;
  readonly sessionId: string;
}

/** A new set of recovery codes; the old set is void at once. Audited; other sessions end. */
export class RegenerateRecoveryCodesHandler {
  constructor(
    private readonly deps: {
      uow: MfaUnitOfWork;
      codes: SecondFactorCodes;
      revokeSessions: RevokeUserSessionsHandler;
      clock: Clock;
    },
  ) {}

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
