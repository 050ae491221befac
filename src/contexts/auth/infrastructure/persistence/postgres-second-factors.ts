import { and, count, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';
import type {
  MfaChallenge,
  MfaChallengeRepository,
  RecoveryCodeRepository,
  SecondFactorOverview,
  SecondFactorOverviewReader,
  TotpFactor,
  TotpFactorRepository,
} from '../../domain/second-factors.js';
import { mfaChallengesTable, recoveryCodesTable, totpFactorsTable } from './auth.tables.js';
import { insertSweepingExpired } from './insert-sweeping-expired.js';
import { lockedRows } from '../../../../platform/db/locked-rows.js';

/** TOTP factors; a read locks the row, so two codes checked at once cannot both pass. */
export class PostgresTotpFactors implements TotpFactorRepository {
  constructor(private readonly database: Database) {}

  async find(userId: string): Promise<TotpFactor | null> {
    const [row] = await lockedRows(this.database, totpFactorsTable, eq(totpFactorsTable.userId, userId));
    return row ?? null;
  }

  async put(factor: TotpFactor): Promise<void> {
    const { userId: _userId, ...rest } = factor;
    await this.database
      .executor()
      .insert(totpFactorsTable)
      .values(factor)
      .onConflictDoUpdate({ target: totpFactorsTable.userId, set: rest });
  }

  async useStep(userId: string, step: number, confirmedAt: Date): Promise<void> {
    await this.database
      .executor()
      .update(totpFactorsTable)
      .set({ lastUsedStep: step, confirmedAt })
      .where(eq(totpFactorsTable.userId, userId));
  }

  async remove(userId: string): Promise<boolean> {
    return (await this.database.deleted(totpFactorsTable, eq(totpFactorsTable.userId, userId))) > 0;
  }
}

/** Recovery codes by digest; spending one is a single conditional update, so it works once. */
export class PostgresRecoveryCodes implements RecoveryCodeRepository {
  constructor(private readonly database: Database) {}

  async replace(userId: string, codeHashes: readonly string[], now: Date): Promise<void> {
    const db = this.database.executor();
    await db.delete(recoveryCodesTable).where(eq(recoveryCodesTable.userId, userId));
    if (codeHashes.length === 0) return;
    await db.insert(recoveryCodesTable).values(codeHashes.map((codeHash) => ({ userId, codeHash, createdAt: now })));
  }

  async spend(userId: string, codeHash: string, now: Date): Promise<boolean> {
    const unspent = and(
      eq(recoveryCodesTable.userId, userId),
      eq(recoveryCodesTable.codeHash, codeHash),
      isNull(recoveryCodesTable.usedAt),
    );
    return (await this.database.updated(recoveryCodesTable, { usedAt: now }, unspent)) > 0;
  }

  async remaining(userId: string): Promise<number> {
    const [row] = await this.database
      .executor()
      .select({ n: count() })
      .from(recoveryCodesTable)
      .where(and(eq(recoveryCodesTable.userId, userId), isNull(recoveryCodesTable.usedAt)));
    return Number(row?.n ?? 0);
  }

  async removeAll(userId: string): Promise<void> {
    await this.database.executor().delete(recoveryCodesTable).where(eq(recoveryCodesTable.userId, userId));
  }
}

/** The challenges of password sign-ins waiting for a second factor. */
export class PostgresMfaChallenges implements MfaChallengeRepository {
  constructor(private readonly database: Database) {}

  async insert(challenge: MfaChallenge): Promise<void> {
    await insertSweepingExpired(this.database, mfaChallengesTable, challenge);
  }

  async find(tokenHash: string): Promise<MfaChallenge | null> {
    const [row] = await this.database
      .executor()
      .select()
      .from(mfaChallengesTable)
      .where(eq(mfaChallengesTable.tokenHash, tokenHash));
    return row ?? null;
  }

  async spend(tokenHash: string, now: Date): Promise<boolean> {
    const unspent = and(eq(mfaChallengesTable.tokenHash, tokenHash), isNull(mfaChallengesTable.usedAt));
    return (await this.database.updated(mfaChallengesTable, { usedAt: now }, unspent)) > 0;
  }
}

/** The three facts a sign-in asks of an account's factors, in one statement (one round trip per login). */
export class PostgresSecondFactorOverview implements SecondFactorOverviewReader {
  constructor(private readonly database: Database) {}

  async overviewOf(userId: string): Promise<SecondFactorOverview> {
    const { rows } = await this.database.query<{ totp: boolean; codes: number; passkeys: number }>(sql`
      select exists (select 1 from auth.totp_factors where user_id = ${userId} and confirmed_at is not null) as totp,
             (select count(*)::int from auth.recovery_codes where user_id = ${userId} and used_at is null) as codes,
             (select count(*)::int from auth.passkeys where user_id = ${userId}) as passkeys`);
    const row = rows[0];
    return { totpConfirmed: row?.totp === true, recoveryCodesLeft: row?.codes ?? 0, passkeys: row?.passkeys ?? 0 };
  }
}
