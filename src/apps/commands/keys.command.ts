import type { Command } from 'commander';
import { SigningKeyStore } from '../../contexts/auth/infrastructure/tokens/signing-key-store.js';
import { migrate } from '../../platform/db/migrate.js';
import type { Config } from '../config/config.js';
import { openCliDatabase } from './cli-context.js';

/** `portico keys rotate|list`: access-token signing keys. */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('manage the keys that sign access tokens');

  keys
    .command('rotate')
    .description('add a new signing key (of JWT_ALGORITHM); the old ones stay in the JWKS until their tokens expire')
    .action(() =>
      withKeyStore(async (store, config) => {
        const kid = await store.rotate();
        process.stdout.write(
          `new ${config.jwtAlgorithm} signing key ${kid}; API processes pick it up within a minute\n`,
        );
      }),
    );

  keys
    .command('list')
    .description('show the published keys (kid, algorithm, created, retired)')
    .action(() =>
      withKeyStore(async (store) => {
        await store.reload();
        for (const key of store.published()) {
          const state = key.retiredAt ? `retired ${key.retiredAt.toISOString()}` : 'signing';
          process.stdout.write(
            `${key.kid}  ${key.algorithm.padEnd(5)}  created ${key.createdAt.toISOString()}  ${state}\n`,
          );
        }
      }),
    );
}

async function withKeyStore(work: (store: SigningKeyStore, config: Config) => Promise<void>): Promise<void> {
  const { config, database } = await openCliDatabase();
  try {
    await migrate(database);
    const settings = { accessTokenLifetimeSeconds: config.accessTokenTtlSeconds, algorithm: config.jwtAlgorithm };
    await work(new SigningKeyStore(database, settings), config);
  } finally {
    await database.close();
  }
}
