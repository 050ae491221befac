import type { UnitOfWork } from '../../../shared/application/ports/unit-of-work.js';
import type { PasskeyChallengeRepository, PasskeyRepository } from '../domain/passkeys.js';
import type { MfaChallengeRepository, RecoveryCodeRepository, TotpFactorRepository } from '../domain/second-factors.js';
import type { AuthScope } from './auth-ports.js';

/** RFC 6238 codes (SHA-1, 6 digits, 30 s): the arithmetic, behind a port. */
export interface TotpAlgorithm {
  /** A new random secret, base32 (what authenticator apps take). */
  newSecret(): string;
  /** The `otpauth://` URI of a QR code, labelled with the account. */
  uri(secret: string, accountName: string): string;
  /** The time step whose code `code` is, within one step either side of `now`; null when none. */
  matchingStep(secret: string, code: string, now: Date): number | null;
}

/** Recovery codes: random, shown once, kept by digest only. */
export interface RecoveryCodeFactory {
  issue(count: number): { codes: string[]; hashes: string[] };
  /** The digest a typed code is looked up by (spacing and case do not matter). */
  digest(code: string): string;
}

/** A transaction over sessions, the outbox and the factor stores: a factor change and its effects commit together. */
export interface MfaScope extends AuthScope {
  readonly totp: TotpFactorRepository;
  readonly recoveryCodes: RecoveryCodeRepository;
  readonly challenges: MfaChallengeRepository;
  readonly passkeys: PasskeyRepository;
  readonly passkeyChallenges: PasskeyChallengeRepository;
}

export type MfaUnitOfWork = UnitOfWork<MfaScope>;
