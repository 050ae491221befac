import { PostgresCredentialsReader } from '../../src/contexts/users/infrastructure/accounts/postgres-credentials-reader.js';
import { PostgresUserRepository } from '../../src/contexts/users/infrastructure/persistence/postgres-user-repository.js';
import type { User } from '../../src/contexts/users/domain/user.js';
import { describeContract, onDatabases } from '../support/contract.js';
import { InMemoryCredentialsReader } from '../support/in-memory/in-memory-credentials-reader.js';
import { credentialsReaderContract, type CredentialsReaderHarness } from './credentials-reader.contract.js';

function inMemory(): CredentialsReaderHarness {
  const reader = new InMemoryCredentialsReader();
  return {
    reader,
    store: async (user) => {
      const { id, email, username, passwordHash, status, roles, emailVerified, locale } = user.snapshot();
      reader.add({ userId: id, email, username, passwordHash, status, roles: [...roles], emailVerified, locale });
    },
    erase: async (user) => void reader.accounts.delete(user.id),
  };
}

describeContract<CredentialsReaderHarness>(
  'CredentialsReader (auth’s port, the users context’s adapter)',
  {
    'in-memory': inMemory,
    ...onDatabases(({ database }) => {
      const users = new PostgresUserRepository(database);
      return {
        reader: new PostgresCredentialsReader(database),
        store: (user: User) => users.insert(user),
        erase: (user: User) => users.erase(user),
      };
    }),
  },
  credentialsReaderContract,
);
