import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { PasskeyRepository } from '../../src/contexts/auth/domain/passkeys.js';
import type {
  MfaChallengeRepository,
  RecoveryCodeRepository,
  SecondFactorOverviewReader,
  TotpFactorRepository,
} from '../../src/contexts/auth/domain/second-factors.js';
import { PostgresPasskeys } from '../../src/contexts/auth/infrastructure/persistence/postgres-passkeys.js';
import {
  PostgresMfaChallenges,
  PostgresRecoveryCodes,
  PostgresSecondFactorOverview,
  PostgresTotpFactors,
} from '../../src/contexts/auth/infrastructure/persistence/postgres-second-factors.js';
import { describeContract, onDatabases } from '../support/contract.js';
import { InMemoryPasskeys } from '../support/in-memory/in-memory-passkeys.js';
import {
  InMemoryMfaChallenges,
  InMemoryRecoveryCodes,
  InMemorySecondFactorOverview,
  InMemoryTotpFactors,
} from '../support/in-memory/in-memory-second-factors.js';

interface Stores {
  totp: TotpFactorRepository;
  codes: RecoveryCodeRepository;
  challenges: MfaChallengeRepository;
  passkeys: PasskeyRepository;
  /** What a password sign-in reads of the three factor stores, in one go. */
  overview: SecondFactorOverviewReader;
}

const T0 = new Date('2026-03-01T12:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

describeContract<Stores>(
  'Second-factor stores (TOTP factors, recovery codes, MFA challenges, the sign-in overview)',
  {
    'in-memory': () => {
      const [totp, recoveryCodes, passkeys] = [
        new InMemoryTotpFactors(),
        new InMemoryRecoveryCodes(),
        new InMemoryPasskeys(),
      ];
      const overview = new InMemorySecondFactorOverview({ totp, recoveryCodes, passkeys });
      return { totp, codes: recoveryCodes, challenges: new InMemoryMfaChallenges(), passkeys, overview };
    },
    ...onDatabases(({ database }) => ({
      totp: new PostgresTotpFactors(database),
      codes: new PostgresRecoveryCodes(database),
      challenges: new PostgresMfaChallenges(database),
      passkeys: new PostgresPasskeys(database),
      overview: new PostgresSecondFactorOverview(database),
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

    it('is empty for an account with no factor, and for a pending TOTP factor', async () => {
      const userId = randomUUID();
      const none = { totpConfirmed: false, recoveryCodesLeft: 0, passkeys: 0 };
      expect(await t.overview.overviewOf(userId)).toEqual(none);
      await t.totp.put({ userId, sealedSecret: 'v1.sealed', createdAt: T0, confirmedAt: null, lastUsedStep: null });
      expect(await t.overview.overviewOf(userId)).toEqual(none);
    });

    it('counts a confirmed factor, the unspent recovery codes and the passkeys of this user only', async () => {
      const userId = randomUUID();
      const other = randomUUID();
      await t.totp.put({ userId, sealedSecret: 'v1.sealed', createdAt: T0, confirmedAt: T0, lastUsedStep: null });
      await t.codes.replace(userId, ['digest-1', 'digest-2', 'digest-3'], T0);
      await t.codes.spend(userId, 'digest-2', T0);
      await t.codes.replace(other, ['digest-9'], T0);
      for (const owner of [userId, userId, other]) {
        await t.passkeys.insert({
          id: randomUUID(),
          userId: owner,
          credentialId: `cred-${randomUUID()}`,
          publicKey: 'pQECAyYgASFYIPublicKeyOnly',
          counter: 0,
          transports: ['internal'],
          name: 'Laptop',
          createdAt: T0,
          lastUsedAt: null,
        });
      }
      expect(await t.overview.overviewOf(userId)).toEqual({ totpConfirmed: true, recoveryCodesLeft: 2, passkeys: 2 });
    });
  },
);
