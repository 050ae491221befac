import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { IdGenerator } from '../../../../shared/application/ports/id-generator.js';
import type { CredentialsReader } from '../../domain/credentials.js';
import { AuthEventTypes } from '../../domain/auth-events.js';
import { PasskeyRegistrationFailedError } from '../../domain/auth-errors.js';
import { passkeyName, type Passkey, type PasskeySummary } from '../../domain/passkeys.js';
import type { MfaUnitOfWork } from '../mfa-ports.js';
import type { ChallengeDigest, WebAuthnCeremonies, WebAuthnResponse } from '../passkey-ports.js';
import type { RevokeUserSessionsHandler } from '../revoke-user-sessions/revoke-user-sessions.handler.js';
import { recordSecondFactorChange } from '../second-factor-change.js';

export interface RegisterPasskeyCommand {
  readonly userId: string;
  readonly sessionId: string;
  readonly response: WebAuthnResponse;
  readonly name?: string;
}

/**
 * Stores the passkey a registration response proves, once its challenge is found open and bound
 * to this user (spent whatever the outcome: a challenge works once) and the response verifies
 * against it, the configured origins and RP ID. Audited as a second-factor change: the user's other
 * sessions end.
 */
export class RegisterPasskeyHandler {
  constructor(
    private readonly deps: {
      uow: MfaUnitOfWork;
      ceremonies: WebAuthnCeremonies;
      digest: ChallengeDigest;
      revokeSessions: RevokeUserSessionsHandler;
      /** The account the change notice goes to. */
      credentials: CredentialsReader;
      ids: IdGenerator;
      clock: Clock;
    },
  ) {}

  async handle(command: RegisterPasskeyCommand): Promise<{ passkey: PasskeySummary; revoked: string[] }> {
    const { uow, ceremonies, digest, ids, clock } = this.deps;
    const now = clock.now();
    const read = ceremonies.readResponse(command.response);
    if (!read) throw new PasskeyRegistrationFailedError('the response is not a WebAuthn registration response');
    const challenge = await uow.run(({ passkeyChallenges }) =>
      passkeyChallenges.spend(digest.digest(read.challenge), 'registration', now),
    );
    if (challenge?.userId !== command.userId)
      throw new PasskeyRegistrationFailedError('the challenge is unknown, used or expired: ask for new options');
    const credential = await ceremonies.verifyRegistration(command.response, read.challenge);
    if (!credential) throw new PasskeyRegistrationFailedError();
    return uow.run(async (scope) => {
      if (await scope.passkeys.findByCredentialId(credential.credentialId))
        throw new PasskeyRegistrationFailedError('this passkey is registered already');
      const passkey: Passkey = {
        id: ids.next(),
        userId: command.userId,
        ...credential,
        name: passkeyName(command.name, now),
        createdAt: now,
        lastUsedAt: null,
      };
      await scope.passkeys.insert(passkey);
      const revoked = await recordSecondFactorChange(scope, this.deps, {
        type: AuthEventTypes.passkeyAdded,
        userId: command.userId,
        sessionId: command.sessionId,
      });
      const { id, name, createdAt, lastUsedAt } = passkey;
      return { passkey: { id, name, createdAt, lastUsedAt }, revoked };
    });
  }
}
