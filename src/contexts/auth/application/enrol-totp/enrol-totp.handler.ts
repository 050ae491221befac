import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { Sealer } from '../../../../shared/application/ports/sealer.js';
import { MfaAlreadyEnabledError } from '../../domain/auth-errors.js';
import { isConfirmed } from '../../domain/second-factors.js';
import type { MfaUnitOfWork, TotpAlgorithm } from '../mfa-ports.js';

export interface EnrolTotpCommand {
  readonly userId: string;
  /** What the authenticator app shows beside the codes (the user's email). */
  readonly accountName: string;
}

export interface TotpEnrolment {
  readonly secret: string;
  readonly otpauthUri: string;
}

/**
 * Starts a TOTP enrolment: a new secret, stored sealed and pending until a code confirms it (so a
 * secret the user never scanned cannot lock them out). A new enrolment replaces a pending one; an
 * account with a confirmed factor removes it first.
 */
export class EnrolTotpHandler {
  constructor(private readonly deps: { uow: MfaUnitOfWork; totp: TotpAlgorithm; sealer: Sealer; clock: Clock }) {}

  async handle(command: EnrolTotpCommand): Promise<TotpEnrolment> {
    const { uow, totp, sealer, clock } = this.deps;
    const secret = totp.newSecret();
    await uow.run(async (scope) => {
      if (isConfirmed(await scope.totp.find(command.userId))) throw new MfaAlreadyEnabledError();
      await scope.totp.put({
        userId: command.userId,
        sealedSecret: sealer.seal(secret),
        createdAt: clock.now(),
        confirmedAt: null,
        lastUsedStep: null,
      });
    });
    return { secret, otpauthUri: totp.uri(secret, command.accountName) };
  }
}
