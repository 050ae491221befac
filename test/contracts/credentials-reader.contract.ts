import { expect, it } from 'vitest';
import type { CredentialsReader } from '../../src/contexts/auth/domain/credentials.js';
import type { User } from '../../src/contexts/users/domain/user.js';
import { UserMother } from '../mothers/user.mother.js';

/**
 * Auth's CredentialsReader port, the contract between auth and the context that owns the
 * accounts: the users context's adapter (which reads its own table) and the in-memory one both
 * pass it, so auth can rely on it without knowing where accounts live.
 */
export interface CredentialsReaderHarness {
  readonly reader: CredentialsReader;
  /** Stores the user as its owner would, active or deactivated. */
  store(user: User): Promise<void>;
  /** Erases a stored user (the owner's DELETE). */
  erase(user: User): Promise<void>;
}

export function credentialsReaderContract(h: CredentialsReaderHarness): void {
  it('finds an account by its stored email and by its id, with the hash, status, roles, verification and locale', async () => {
    const user = UserMother.persisted({ roles: ['user'], emailVerified: false, locale: 'es' });
    await h.store(user);
    const expected = {
      userId: user.id,
      email: user.email,
      username: user.username,
      passwordHash: user.passwordHash,
      status: 'active',
      roles: ['user'],
      emailVerified: false,
      locale: 'es',
    };
    expect(await h.reader.findByEmail(user.email)).toEqual(expected);
    expect(await h.reader.findByUserId(user.id)).toEqual(expected);
  });

  it('answers null for an email or id no account has', async () => {
    expect(await h.reader.findByEmail('nobody-at-all@example.com')).toBeNull();
    expect(await h.reader.findByUserId(UserMother.id())).toBeNull();
  });

  it('reports a deactivated account as such, so login can refuse it the same way', async () => {
    const user = UserMother.deactivated();
    await h.store(user);
    expect((await h.reader.findByEmail(user.email))?.status).toBe('deactivated');
  });

  it('finds an erased account by neither email nor id', async () => {
    const user = UserMother.persisted();
    const email = user.email;
    await h.store(user);
    user.delete(new Date('2026-02-01T00:00:00Z'));
    await h.erase(user);
    expect(await h.reader.findByEmail(email)).toBeNull();
    expect(await h.reader.findByUserId(user.id)).toBeNull();
  });

  it('says whether a live administrator exists', async () => {
    const before = await h.reader.adminExists();
    const admin = UserMother.persisted({ roles: ['admin'] });
    await h.store(admin);
    expect(await h.reader.adminExists()).toBe(true);
    expect(before).toBe(false);
  });
}
