import type {
  Passkey,
  PasskeyCeremony,
  PasskeyChallenge,
  PasskeyChallengeRepository,
  PasskeyRepository,
} from '../../../src/contexts/auth/domain/passkeys.js';

export class InMemoryPasskeys implements PasskeyRepository {
  rows = new Map<string, Passkey>();

  async insert(passkey: Passkey): Promise<void> {
    if ([...this.rows.values()].some((p) => p.credentialId === passkey.credentialId))
      throw new Error('duplicate credential id');
    this.rows.set(passkey.id, { ...passkey, transports: [...passkey.transports] });
  }

  async listByUser(userId: string): Promise<Passkey[]> {
    return [...this.rows.values()]
      .filter((p) => p.userId === userId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  }

  async findByCredentialId(credentialId: string): Promise<Passkey | null> {
    return [...this.rows.values()].find((p) => p.credentialId === credentialId) ?? null;
  }

  async recordUse(id: string, counter: number, now: Date): Promise<void> {
    const passkey = this.rows.get(id);
    if (passkey) this.rows.set(id, { ...passkey, counter, lastUsedAt: now });
  }

  async remove(userId: string, id: string): Promise<boolean> {
    if (this.rows.get(id)?.userId !== userId) return false;
    return this.rows.delete(id);
  }

  async removeAll(userId: string): Promise<number> {
    const mine = await this.listByUser(userId);
    for (const passkey of mine) this.rows.delete(passkey.id);
    return mine.length;
  }
}

export class InMemoryPasskeyChallenges implements PasskeyChallengeRepository {
  rows = new Map<string, PasskeyChallenge>();

  async insert(challenge: PasskeyChallenge): Promise<void> {
    this.rows.set(challenge.challengeHash, { ...challenge });
  }

  async spend(challengeHash: string, ceremony: PasskeyCeremony, now: Date): Promise<PasskeyChallenge | null> {
    const challenge = this.rows.get(challengeHash);
    if (!challenge || challenge.ceremony !== ceremony || challenge.expiresAt <= now) return null;
    this.rows.delete(challengeHash);
    return challenge;
  }
}
