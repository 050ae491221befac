import type { Clock } from '../../../../shared/application/ports/clock.js';
import { PASSKEY_CHALLENGE_LIFETIME_MS } from '../../domain/passkeys.js';
import type { MfaUnitOfWork } from '../mfa-ports.js';
import type { ChallengeDigest, WebAuthnCeremonies } from '../passkey-ports.js';

export interface PasskeyRegistrationOptionsCommand {
  readonly userId: string;
  /** What the authenticator shows the passkey as (the user's email). */
  readonly userName: string;
}

/**
 * The creation options of a new passkey for the signed-in user: a fresh challenge, kept by digest
 * for PASSKEY_CHALLENGE_LIFETIME_MS and bound to the user, and the user's passkeys excluded (an
 * authenticator holding one of them declines to make a second).
 */
export class PasskeyRegistrationOptionsHandler {
  constructor(
    private readonly deps: {
      uow: MfaUnitOfWork;
      ceremonies: WebAuthnCeremonies;
      digest: ChallengeDigest;
      clock: Clock;
    },
  ) {}

  async handle(command: PasskeyRegistrationOptionsCommand): Promise<Record<string, unknown>> {
    const { uow, ceremonies, digest, clock } = this.deps;
    const now = clock.now();
    const exclude = await uow.run(({ passkeys }) => passkeys.listByUser(command.userId));
    const { options, challenge } = await ceremonies.registrationOptions({ ...command, exclude });
    await uow.run(({ passkeyChallenges }) =>
      passkeyChallenges.insert({
        challengeHash: digest.digest(challenge),
        ceremony: 'registration',
        userId: command.userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_LIFETIME_MS),
      }),
    );
    return options;
  }
}
