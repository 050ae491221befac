import { AuthEventTypes } from '../../domain/auth-events.js';
import { PasskeyNotFoundError } from '../../domain/auth-errors.js';
import type { MfaUnitOfWork } from '../mfa-ports.js';
import { recordSecondFactorChange, type SecondFactorChangeDeps } from '../second-factor-change.js';

export interface RemovePasskeyCommand {
  readonly userId: string;
  readonly sessionId: string;
  readonly passkeyId: string;
}

/**
 * Removes one of the user's passkeys (another user's is `not_found`, as an unknown one is);
 * audited as a second-factor change: the user's other sessions end. Answers the sessions ended.
 */
export class RemovePasskeyHandler {
  constructor(
    private readonly deps: { uow: MfaUnitOfWork } & Pick<
      SecondFactorChangeDeps,
      'revokeSessions' | 'credentials' | 'clock'
    >,
  ) {}

  async handle(command: RemovePasskeyCommand): Promise<string[]> {
    return this.deps.uow.run(async (scope) => {
      if (!(await scope.passkeys.remove(command.userId, command.passkeyId)))
        throw new PasskeyNotFoundError(command.passkeyId);
      return recordSecondFactorChange(scope, this.deps, {
        type: AuthEventTypes.passkeyRemoved,
        userId: command.userId,
        sessionId: command.sessionId,
      });
    });
  }
}
