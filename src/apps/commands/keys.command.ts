import type { Command } from 'commander';
import { SigningKeyStore } from '../../contexts/auth/infrastructure/tokens/signing-key-store.js';
import { migrate } from '../../platform/db/migrate.js';
import { openCliDatabase } from './cli-context.js';

/** `portico keys rotate|list`: access-token signing keys. */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('manage the keys that sign access tokens');

  keys
    .command('rotate')
    .description('add a new signing key; the old ones stay in the JWKS until their tokens expire')
    .action(async () => {
      const { config, database } = await openCliDatabase();
      try {
        await migrate(database);
        const store = new SigningKeyStore(database, config.accessTokenTtlSeconds);
        const kid = await store.rotate();
        process.stdout.write(`new signing key ${kid}; API processes pick it up within a minute\n`);
      } finally {
        await database.close();
      }
    });

  keys
    .command('list')
    .description('show the published keys (kid, created, retired)')
    .action(async () => {
      const { config, database } = await openCliDatabase();
      try {
        const store = new SigningKeyStore(database, config.accessTokenTtlSeconds);
        await store.reload();
        for (const key of store.published()) {
          process.stdout.write(
            `${key.kid}  created ${key.createdAt.toISOString()}  ${key.retiredAt ? `retired ${key.retiredAt.toISOString()}` : 'signing'}\n`,
          );
        }
      } finally {
        await database.close();
      }
    });
}
