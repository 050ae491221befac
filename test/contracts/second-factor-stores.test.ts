import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type {
  MfaChallengeRepository,
  RecoveryCodeRepository,
  TotpFactorRepository,
} from '../../src/contexts/auth/domain/second-factors.js';
import {
  PostgresMfaChallenges,
  PostgresRecoveryCodes,
  PostgresTotpFactors,
} from '../../src/contexts/auth/infrastructure/persistence/postgres-second-factors.js';
import { describeContract, onDatabases } from '../support/contract.js';
import {
  InMemoryMfaChallenges,
  InMemoryRecoveryCodes,
  InMemoryTotpFactors,
} from '../support/in-memory/in-memory-second-factors.js';

interface Stores {
  totp: TotpFactorRepository;
  codes: RecoveryCodeRepository;
  challenges: MfaChallengeRepository;
}

const T0 = new Date('2026-03-01T12:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

describeContract<Stores>(
  'Second-factor stores (TOTP factors, recovery codes, MFA challenges)',
  {
    'in-memory': () => ({
      totp: new InMemoryTotpFactors(),
      codes: new InMemoryRecoveryCodes(),
      challenges: new InMemoryMfaChallenges(),
    }),
    ...onDatabases(({ database }) => ({
      totp: new PostgresTotpFactors(database),
      codes: new PostgresRecoveryCodes(database),
      challenges: new PostgresMfaChallenges(database),
    })),
  },
  (t) => {
    it('stores a pending factor, replaces it, records a used step (confirming it) and removes it', async () => {
      const userId = randomUUID();
      expect(await t.totp.find(userId)).toBeNull();
      const pending = { userId, sealedSecret: 'v1.sealed-1', createdAt: T0, confirmedAt: null, lastUsedStep: null };
      await t.totp.put(pending);
      expect(await t.totp.find(userId)).toEqual(pending);
      await t.totp.put({ ...pending, sealedSecret: 'v1.sealed-2', createdAt: later(1_000) });
      expect((await t.totp.find(userId))?.sealedSecret).toBe('v1.sealed-2');
      await t.totp.useStep(userId, 59_000_001, later(2_000));
      expect(await t.totp.find(userId)).toMatchObject({ lastUsedStep: 59_000_001, confirmedAt: later(2_000) });
      expect(await t.totp.remove(userId)).toBe(true);
      expect(await t.totp.remove(userId)).toBe(false);
      expect(await t.totp.find(userId)).toBeNull();
    });

    it('spends each recovery code once; a new set voids the old one; codes are per user', async () => {
      const userId = randomUUID();
      const other = randomUUID();
      await t.codes.replace(userId, ['h1', 'h2', 'h3'], T0);
      await t.codes.replace(other, ['h1'], T0);
      expect(await t.codes.remaining(userId)).toBe(3);
      expect(await t.codes.spend(userId, 'h2', later(1))).toBe(true);
      expect(await t.codes.spend(userId, 'h2', later(2))).toBe(false);
      expect(await t.codes.spend(userId, 'unknown', later(2))).toBe(false);
      expect(await t.codes.remaining(userId)).toBe(2);
      await t.codes.replace(userId, ['h4'], later(3));
      expect(await t.codes.spend(userId, 'h1', later(4))).toBe(false);
      expect(await t.codes.remaining(userId)).toBe(1);
      expect(await t.codes.spend(other, 'h1', later(4))).toBe(true);
      await t.codes.removeAll(userId);
      expect(await t.codes.remaining(userId)).toBe(0);
    });

    it('finds a challenge by digest and spends it once', async () => {
      const challenge = {
        tokenHash: `hash-${randomUUID()}`,
        userId: randomUUID(),
        createdAt: T0,
        expiresAt: later(300_000),
        usedAt: null,
      };
      await t.challenges.insert(challenge);
      expect(await t.challenges.find(challenge.tokenHash)).toEqual(challenge);
      expect(await t.challenges.find('unknown')).toBeNull();
      expect(await t.challenges.spend(challenge.tokenHash, later(10))).toBe(true);
      expect(await t.challenges.spend(challenge.tokenHash, later(11))).toBe(false);
      expect(await t.challenges.spend('unknown', later(11))).toBe(false);
      expect((await t.challenges.find(challenge.tokenHash))?.usedAt).toEqual(later(10));
    });
  },
);
