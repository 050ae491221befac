import type { Credentials } from '../../src/contexts/auth/domain/credentials.js';
import { FakePasswordHasher } from '../support/in-memory/fake-password-hasher.js';
import { UserMother } from './user.mother.js';

let counter = 0;

/** The password every mothered account has, hashed the way FakePasswordHasher hashes. */
export const ACCOUNT_PASSWORD = 'orchid-Lantern-1843';

/** Object mother: what login reads about an account. */
export const CredentialsMother = {
  active(overrides: Partial<Credentials> = {}): Credentials {
    counter += 1;
    return {
      userId: UserMother.id(),
      email: `account${counter}@example.com`,
      username: `account${counter}`,
      passwordHash: FakePasswordHasher.hashOf(ACCOUNT_PASSWORD),
      status: 'active',
      roles: ['user'],
      emailVerified: true,
      locale: 'en',
      ...overrides,
    };
  },

  deactivated(overrides: Partial<Credentials> = {}): Credentials {
    return CredentialsMother.active({ status: 'deactivated', ...overrides });
  },
};
