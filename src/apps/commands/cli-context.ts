import { ConfigError, loadConfig, type Config } from '../config/config.js';
import type { Database } from '../../platform/db/database.js';
import { createLogger } from '../../platform/logging/logger.js';
import { openDatabase } from '../database-startup.js';
import type { Topology } from '../../platform/messaging/topology.js';
import { contextsFor } from '../contexts.js';

/**
 * What an operator command needs: the configuration and a database handle of its own. On PGlite
 * this takes the data directory's lock, so it fails in one line while `portico start` holds it.
 */
export async function openCliDatabase(): Promise<{ config: Config; database: Database }> {
  const config = loadCliConfig();
  // As a start opens it: PostgreSQL must answer (else one line naming it), PGlite's lock be free.
  const quiet = createLogger({ level: 'silent', pretty: false });
  const database = await openDatabase({ ...config, dbPoolSize: 2 }, quiet, { migrate: false });
  return { config, database };
}

/** The configuration, or its problems printed and status 2. */
export function loadCliConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`portico: ${error.message}\n`);
    process.exit(2);
  }
}

/** The queues the manifests declare; they do not depend on the environment, so defaults do. */
export function defaultTopology(): Topology {
  return contextsFor(loadConfig({})).topology;
}
