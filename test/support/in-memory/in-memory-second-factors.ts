import type { MfaScope, MfaUnitOfWork } from '../../../src/contexts/auth/application/mfa-ports.js';
import {
  isConfirmed,
  type MfaChallenge,
  type MfaChallengeRepository,
  type RecoveryCodeRepository,
  type SecondFactorOverview,
  type SecondFactorOverviewReader,
  type TotpFactor,
  type TotpFactorRepository,
} from '../../../src/contexts/auth/domain/second-factors.js';
import type { InMemoryAuthUnitOfWork } from './in-memory-auth-unit-of-work.js';
import { InMemoryPasskeyChallenges, InMemoryPasskeys } from './in-memory-passkeys.js';

export class InMemoryTotpFactors implements TotpFactorRepository {
  rows = new Map<string, TotpFactor>();

  async find(userId: string): Promise<TotpFactor | null> {
    return this.rows.get(userId) ?? null;
  }

  async put(factor: TotpFactor): Promise<void> {
    this.rows.set(factor.userId, { ...factor });
  }

  async useStep(userId: string, step: number, confirmedAt: Date): Promise<void> {
    const factor = this.rows.get(userId);
    if (factor) this.rows.set(userId, { ...factor, lastUsedStep: step, confirmedAt });
  }

  async remove(userId: string): Promise<boolean> {
    return this.rows.delete(userId);
  }
}

export class InMemoryRecoveryCodes implements RecoveryCodeRepository {
  /** user id → code digest → when it was used (null: unused). */
  rows = new Map<string, Map<string, Date | null>>();

  async replace(userId: string, codeHashes: readonly string[], _now: Date): Promise<void> {
    this.rows.set(userId, new Map(codeHashes.map((hash) => [hash, null])));
  }

  async spend(userId: string, codeHash: string, now: Date): Promise<boolean> {
    const codes = this.rows.get(userId);
    if (!codes || !codes.has(codeHash) || codes.get(codeHash) !== null) return false;
    codes.set(codeHash, now);
    return true;
  }

  async remaining(userId: string): Promise<number> {
    return [...(this.rows.get(userId)?.values() ?? [])].filter((usedAt) => usedAt === null).length;
  }

  async removeAll(userId: string): Promise<void> {
    this.rows.delete(userId);
  }
}

export class InMemoryMfaChallenges implements MfaChallengeRepository {
  rows = new Map<string, MfaChallenge>();

  async insert(challenge: MfaChallenge): Promise<void> {
    this.rows.set(challenge.tokenHash, { ...challenge });
  }

  async find(tokenHash: string): Promise<MfaChallenge | null> {
    return this.rows.get(tokenHash) ?? null;
  }

  async spend(tokenHash: string, now: Date): Promise<boolean> {
    const challenge = this.rows.get(tokenHash);
    if (!challenge || challenge.usedAt !== null) return false;
    this.rows.set(tokenHash, { ...challenge, usedAt: now });
    return true;
  }
}

/** The auth unit of work plus the factor stores, all-or-nothing like a transaction. */
export class InMemoryMfaUnitOfWork implements MfaUnitOfWork {
  readonly totp = new InMemoryTotpFactors();
  readonly recoveryCodes = new InMemoryRecoveryCodes();
  readonly challenges = new InMemoryMfaChallenges();
  readonly passkeys = new InMemoryPasskeys();
  readonly passkeyChallenges = new InMemoryPasskeyChallenges();

  constructor(private readonly auth: InMemoryAuthUnitOfWork) {}

  async run<T>(work: (scope: MfaScope) => Promise<T>): Promise<T> {
    const saved = {
      totp: new Map(this.totp.rows),
      codes: new Map([...this.recoveryCodes.rows].map(([user, codes]) => [user, new Map(codes)])),
      challenges: new Map(this.challenges.rows),
      passkeys: new Map(this.passkeys.rows),
      passkeyChallenges: new Map(this.passkeyChallenges.rows),
    };
    try {
      const { totp, recoveryCodes, challenges, passkeys, passkeyChallenges } = this;
      return await this.auth.run((scope) =>
        work({ ...scope, totp, recoveryCodes, challenges, passkeys, passkeyChallenges }),
      );
    } catch (error) {
      this.totp.rows = saved.totp;
      this.recoveryCodes.rows = saved.codes;
      this.challenges.rows = saved.challenges;
      this.passkeys.rows = saved.passkeys;
      this.passkeyChallenges.rows = saved.passkeyChallenges;
      throw error;
    }
  }
}

/** The overview a sign-in reads, computed from the in-memory stores it summarizes. */
export class InMemorySecondFactorOverview implements SecondFactorOverviewReader {
  constructor(
    private readonly stores: {
      totp: InMemoryTotpFactors;
      recoveryCodes: InMemoryRecoveryCodes;
      passkeys: InMemoryPasskeys;
    },
  ) {}

  async overviewOf(userId: string): Promise<SecondFactorOverview> {
    return {
      totpConfirmed: isConfirmed(await this.stores.totp.find(userId)),
      recoveryCodesLeft: await this.stores.recoveryCodes.remaining(userId),
      passkeys: (await this.stores.passkeys.listByUser(userId)).length,
    };
  }
}
