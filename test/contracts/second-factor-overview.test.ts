import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { PasskeyRepository } from '../../src/contexts/auth/domain/passkeys.js';
import type {
  RecoveryCodeRepository,
  SecondFactorOverviewReader,
  TotpFactorRepository,
} from '../../src/contexts/auth/domain/second-factors.js';
import { PostgresPasskeys } from '../../src/contexts/auth/infrastructure/persistence/postgres-passkeys.js';
import {
  PostgresRecoveryCodes,
  PostgresSecondFactorOverview,
  PostgresTotpFactors,
} from '../../src/contexts/auth/infrastructure/persistence/postgres-second-factors.js';
import { describeContract, onDatabases } from '../support/contract.js';
import { InMemoryPasskeys } from '../support/in-memory/in-memory-passkeys.js';
import {
  InMemoryRecoveryCodes,
  InMemorySecondFactorOverview,
  InMemoryTotpFactors,
} from '../support/in-memory/in-memory-second-factors.js';

interface Stores {
  totp: TotpFactorRepository;
  codes: RecoveryCodeRepository;
  passkeys: PasskeyRepository;
  overview: SecondFactorOverviewReader;
}

const T0 = new Date('2026-03-01T12:00:00.000Z');

describeContract<Stores>(
  'Second-factor overview (what a password sign-in reads of the factor stores)',
  {
    'in-memory': () => {
      const stores = {
        totp: new InMemoryTotpFactors(),
        recoveryCodes: new InMemoryRecoveryCodes(),
        passkeys: new InMemoryPasskeys(),
      };
      return { ...stores, codes: stores.recoveryCodes, overview: new InMemorySecondFactorOverview(stores) };
    },
    ...onDatabases(({ database }) => ({
      totp: new PostgresTotpFactors(database),
      codes: new PostgresRecoveryCodes(database),
      passkeys: new PostgresPasskeys(database),
      overview: new PostgresSecondFactorOverview(database),
    })),
  },
  (t) => {
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
