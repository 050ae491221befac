import { AuthEventTypes } from '../../domain/auth-events.js';
import { recordSecondFactorChange, type SecondFactorChangeDeps } from '../second-factor-change.js';

/** The user removing their TOTP factor (from `sessionId`), or an admin removing every factor (passkeys too) of a user. */
export type RemoveSecondFactorsCommand =
  { readonly userId: string; readonly sessionId: string } | { readonly userId: string; readonly adminId: string };

/**
 * Removes the TOTP factor and its recovery codes (and, for an admin, the passkeys): the next
 * sign-in asks for the password only.
 * Idempotent: removing nothing records nothing and ends no session. Otherwise audited, and the
 * user's other sessions end (all of them, when an admin removed the factors).
 */
export class RemoveSecondFactorsHandler {
  constructor(private readonly deps: Omit<SecondFactorChangeDeps, 'codes'>) {}

  async handle(command: RemoveSecondFactorsCommand): Promise<string[]> {
    return this.deps.uow.run(async (scope) => {
      const removed = await scope.totp.remove(command.userId);
      await scope.recoveryCodes.removeAll(command.userId);
      // The user removes passkeys one by one (RemovePasskeyHandler); an admin removes them all.
      const passkeys = 'adminId' in command ? await scope.passkeys.removeAll(command.userId) : 0;
      if (!removed && passkeys === 0) return [];
      return recordSecondFactorChange(scope, this.deps, {
        type: AuthEventTypes.secondFactorsRemoved,
        userId: command.userId,
        ...('sessionId' in command ? { sessionId: command.sessionId } : { endedBy: command.adminId }),
      });
    });
  }
}
