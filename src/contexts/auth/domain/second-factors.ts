/**
 * Second factors: a TOTP factor (RFC 6238), its recovery codes, and the challenge a password
 * sign-in opens when the account has a factor. Pure rules; the codes' arithmetic is an adapter's.
 */

/** The methods a challenge offers, as API.md names them. */
export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey';

export const RECOVERY_CODE_COUNT = 10;

/** How long the `mfaToken` of a password that verified stays usable. */
export const MFA_CHALLENGE_LIFETIME_MS = 5 * 60_000;

/** A user's TOTP factor: pending until a first code confirms it. */
export interface TotpFactor {
  readonly userId: string;
  /** Sealed (Sealer): the secret must be read back to check codes, so it cannot be hashed. */
  readonly sealedSecret: string;
  readonly createdAt: Date;
  readonly confirmedAt: Date | null;
  /** The time step (Unix time / 30 s) of the last code accepted. */
  readonly lastUsedStep: number | null;
}

/**
 * A code is accepted once (RFC 6238 §5.2): a code of the step last accepted, or of an earlier one
 * still inside the ±1 step window, is a replay of something seen, and is refused.
 */
export function acceptsStep(factor: TotpFactor, step: number): boolean {
  return factor.lastUsedStep === null || step > factor.lastUsedStep;
}

export function isConfirmed(factor: TotpFactor | null): factor is TotpFactor & { confirmedAt: Date } {
  return factor !== null && factor.confirmedAt !== null;
}

/** A password that verified, waiting for the second factor: known by its token's digest. */
export interface MfaChallenge {
  readonly tokenHash: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
}

/** Open: not used yet and not expired. Only an open challenge can finish a sign-in. */
export function isOpen(challenge: MfaChallenge | null, now: Date): challenge is MfaChallenge {
  return challenge !== null && challenge.usedAt === null && now < challenge.expiresAt;
}

/** Ports: the factor stores. Reads lock what they read, for the transaction they run in. */
export interface TotpFactorRepository {
  find(userId: string): Promise<TotpFactor | null>;
  /** Stores a new enrolment, replacing a pending one. */
  put(factor: TotpFactor): Promise<void>;
  /** Confirms the factor, or records a later code: the step becomes the last one used. */
  useStep(userId: string, step: number, confirmedAt: Date): Promise<void>;
  /** Removes the factor; whether there was one. */
  remove(userId: string): Promise<boolean>;
}

export interface RecoveryCodeRepository {
  /** The user's new set, by digest: the previous set is void. */
  replace(userId: string, codeHashes: readonly string[], now: Date): Promise<void>;
  /** Spends one of the user's unused codes: false when there is none with that digest. */
  spend(userId: string, codeHash: string, now: Date): Promise<boolean>;
  /** Codes not yet used. */
  remaining(userId: string): Promise<number>;
  removeAll(userId: string): Promise<void>;
}

export interface MfaChallengeRepository {
  insert(challenge: MfaChallenge): Promise<void>;
  find(tokenHash: string): Promise<MfaChallenge | null>;
  /** Marks it used; false when it was used already (or is unknown). */
  spend(tokenHash: string, now: Date): Promise<boolean>;
}

/** What a password sign-in needs to know of an account's factors: read in one go, on its hot path. */
export interface SecondFactorOverview {
  readonly totpConfirmed: boolean;
  readonly recoveryCodesLeft: number;
  readonly passkeys: number;
}

export interface SecondFactorOverviewReader {
  overviewOf(userId: string): Promise<SecondFactorOverview>;
}

/** The methods a sign-in can finish with; a recovery code only stands in for a confirmed TOTP factor. */
export function methodsFrom(overview: SecondFactorOverview): SecondFactorMethod[] {
  const methods: SecondFactorMethod[] = [];
  if (overview.totpConfirmed) {
    methods.push('totp');
    if (overview.recoveryCodesLeft > 0) methods.push('recovery_code');
  }
  // A passkey finishes no mfaToken: it signs in on its own (POST /auth/passkeys/authentication).
  if (overview.passkeys > 0) methods.push('passkey');
  return methods;
}
