import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';
import { lockedRows } from '../../../../platform/db/locked-rows.js';
import type {
  Passkey,
  PasskeyCeremony,
  PasskeyChallenge,
  PasskeyChallengeRepository,
  PasskeyRepository,
} from '../../domain/passkeys.js';
import { passkeyChallengesTable, passkeysTable } from './auth.tables.js';
import { insertSweepingExpired } from './insert-sweeping-expired.js';

/** Registered passkeys; a sign-in's read locks the row, so one counter value signs in once. */
export class PostgresPasskeys implements PasskeyRepository {
  constructor(private readonly database: Database) {}

  async insert(passkey: Passkey): Promise<void> {
    await this.database
      .executor()
      .insert(passkeysTable)
      .values({ ...passkey, transports: [...passkey.transports] });
  }

  async listByUser(userId: string): Promise<Passkey[]> {
    return this.database
      .executor()
      .select()
      .from(passkeysTable)
      .where(eq(passkeysTable.userId, userId))
      .orderBy(asc(passkeysTable.createdAt), asc(passkeysTable.id));
  }

  async findByCredentialId(credentialId: string): Promise<Passkey | null> {
    const [row] = await lockedRows(this.database, passkeysTable, eq(passkeysTable.credentialId, credentialId));
    return row ?? null;
  }

  async recordUse(id: string, counter: number, now: Date): Promise<void> {
    await this.database
      .executor()
      .update(passkeysTable)
      .set({ counter, lastUsedAt: now })
      .where(eq(passkeysTable.id, id));
  }

  async remove(userId: string, id: string): Promise<boolean> {
    return (
      (await this.database.deleted(passkeysTable, and(eq(passkeysTable.userId, userId), eq(passkeysTable.id, id)))) > 0
    );
  }

  async removeAll(userId: string): Promise<number> {
    return this.database.deleted(passkeysTable, eq(passkeysTable.userId, userId));
  }
}

/** Passkey challenges; spending one is a single conditional delete, so it works once. */
export class PostgresPasskeyChallenges implements PasskeyChallengeRepository {
  constructor(private readonly database: Database) {}

  async insert(challenge: PasskeyChallenge): Promise<void> {
    await insertSweepingExpired(this.database, passkeyChallengesTable, challenge);
  }

  async spend(challengeHash: string, ceremony: PasskeyCeremony, now: Date): Promise<PasskeyChallenge | null> {
    const [spent] = await this.database
      .executor()
      .delete(passkeyChallengesTable)
      .where(
        and(
          eq(passkeyChallengesTable.challengeHash, challengeHash),
          eq(passkeyChallengesTable.ceremony, ceremony),
          gt(passkeyChallengesTable.expiresAt, now),
        ),
      )
      .returning();
    return spent ? { ...spent, ceremony: spent.ceremony as PasskeyCeremony } : null;
  }
}
