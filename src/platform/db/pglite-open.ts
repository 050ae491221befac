import { PGlite } from '@electric-sql/pglite';
import { createDatabaseIfNew } from './data-dir-creation.js';
import { lockDataDir } from './data-dir-lock.js';
import { pgliteConfiguration } from './pglite-configuration.js';

export interface OpenPglite {
  readonly client: PGlite;
  /** Closes the database, then releases the directory. */
  close(): Promise<void>;
}

/**
 * The embedded database under `dataDir` (in memory when null): the directory locked to this
 * process, its database created if it is new, then opened. A failure on the way releases the lock.
 */
export async function openPglite(dataDir: string | null): Promise<OpenPglite> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  try {
    const created = dataDir ? await createDatabaseIfNew(dataDir, pgliteConfiguration()) : () => undefined;
    const client = new PGlite({ ...(dataDir && { dataDir }), postgresqlconf: pgliteConfiguration() });
    await client.waitReady;
    created();
    return {
      client,
      close: async () => {
        await client.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
