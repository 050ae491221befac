import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { Database } from '../../platform/db/database.js';
import type { Topology } from '../../platform/messaging/topology.js';
import { contextsFor } from '../contexts.js';

/**
 * What an operator command needs: the configuration and a database handle of its own. On PGlite
 * this takes the data directory's lock, so it fails clearly while `portico start` holds it.
 */
export async function openCliDatabase(): Promise<{ config: Config; database: Database }> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`portico: ${error.message}\n`);
    process.exit(2);
  }
  const database = config.databaseUrl
    ? Database.postgres(config.databaseUrl, { poolSize: 2 })
    : await Database.pglite(config.dataDir);
  return { config, database };
}

/** The queues the manifests declare; they do not depend on the environment, so defaults do. */
export function defaultTopology(): Topology {
  return contextsFor(loadConfig({})).topology;
}
