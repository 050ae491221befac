import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type {
  Passkey,
  PasskeyChallenge,
  PasskeyChallengeRepository,
  PasskeyRepository,
} from '../../src/contexts/auth/domain/passkeys.js';
import {
  PostgresPasskeyChallenges,
  PostgresPasskeys,
} from '../../src/contexts/auth/infrastructure/persistence/postgres-passkeys.js';
import { describeContract, onDatabases } from '../support/contract.js';
import { InMemoryPasskeyChallenges, InMemoryPasskeys } from '../support/in-memory/in-memory-passkeys.js';

interface Stores {
  passkeys: PasskeyRepository;
  challenges: PasskeyChallengeRepository;
}

const T0 = new Date('2026-03-01T12:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

function passkey(userId: string, overrides: Partial<Passkey> = {}): Passkey {
  return {
    id: randomUUID(),
    userId,
    credentialId: `cred-${randomUUID()}`,
    publicKey: 'pQECAyYgASFYIPublicKeyOnly',
    counter: 0,
    transports: ['internal', 'hybrid'],
    name: 'Laptop',
    createdAt: T0,
    lastUsedAt: null,
    ...overrides,
  };
}

describeContract<Stores>(
  'Passkey stores (credentials, WebAuthn challenges)',
  {
    'in-memory': () => ({ passkeys: new InMemoryPasskeys(), challenges: new InMemoryPasskeyChallenges() }),
    ...onDatabases(({ database }) => ({
      passkeys: new PostgresPasskeys(database),
      challenges: new PostgresPasskeyChallenges(database),
    })),
  },
  (t) => {
    it('stores passkeys, lists a user’s oldest first, finds one by credential id and records a use', async () => {
      const userId = randomUUID();
      const first = passkey(userId);
      const second = passkey(userId, { createdAt: later(1_000), name: 'Phone' });
      await t.passkeys.insert(second);
      await t.passkeys.insert(first);
      await t.passkeys.insert(passkey(randomUUID()));
      expect(await t.passkeys.listByUser(userId)).toEqual([first, second]);
      expect(await t.passkeys.findByCredentialId(first.credentialId)).toEqual(first);
      expect(await t.passkeys.findByCredentialId('unknown')).toBeNull();
      await t.passkeys.recordUse(first.id, 7, later(2_000));
      expect(await t.passkeys.findByCredentialId(first.credentialId)).toEqual({
        ...first,
        counter: 7,
        lastUsedAt: later(2_000),
      });
    });

    it('refuses a second passkey with a credential id already registered', async () => {
      const taken = passkey(randomUUID());
      await t.passkeys.insert(taken);
      await expect(t.passkeys.insert(passkey(randomUUID(), { credentialId: taken.credentialId }))).rejects.toThrow();
    });

    it('removes one of the user’s passkeys (not another user’s), or all of them', async () => {
      const userId = randomUUID();
      const other = passkey(randomUUID());
      const mine = [
        passkey(userId),
        passkey(userId, { createdAt: later(1) }),
        passkey(userId, { createdAt: later(2) }),
      ];
      for (const p of [...mine, other]) await t.passkeys.insert(p);
      expect(await t.passkeys.remove(userId, other.id)).toBe(false);
      expect(await t.passkeys.remove(userId, mine[0]!.id)).toBe(true);
      expect(await t.passkeys.remove(userId, mine[0]!.id)).toBe(false);
      expect(await t.passkeys.removeAll(userId)).toBe(2);
      expect(await t.passkeys.removeAll(userId)).toBe(0);
      expect(await t.passkeys.listByUser(other.userId)).toEqual([other]);
    });

    it('spends a challenge once, for its own ceremony, until it expires', async () => {
      const challenge: PasskeyChallenge = {
        challengeHash: `hash-${randomUUID()}`,
        ceremony: 'registration',
        userId: randomUUID(),
        createdAt: T0,
        expiresAt: later(300_000),
      };
      const signIn: PasskeyChallenge = {
        ...challenge,
        challengeHash: `hash-${randomUUID()}`,
        ceremony: 'authentication',
        userId: null,
      };
      const expired: PasskeyChallenge = { ...signIn, challengeHash: `hash-${randomUUID()}` };
      for (const c of [challenge, signIn, expired]) await t.challenges.insert(c);
      expect(await t.challenges.spend(challenge.challengeHash, 'authentication', later(10))).toBeNull();
      expect(await t.challenges.spend(challenge.challengeHash, 'registration', later(10))).toEqual(challenge);
      expect(await t.challenges.spend(challenge.challengeHash, 'registration', later(11))).toBeNull();
      expect(await t.challenges.spend(signIn.challengeHash, 'authentication', later(299_999))).toEqual(signIn);
      expect(await t.challenges.spend(expired.challengeHash, 'authentication', later(300_000))).toBeNull();
      expect(await t.challenges.spend('unknown', 'authentication', later(1))).toBeNull();
    });
  },
);
