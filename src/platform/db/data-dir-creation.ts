import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const MARKER = 'portico.creating';
/** Where a child process creates the new database before its entries move up into the directory. */
const STAGING_PREFIX = '.initdb-';
/** What PGlite (initdb) writes at the top of a data directory, and staging folders; nothing else is ever removed. */
const CLUSTER_ENTRY =
  /^(PG_VERSION|base|global|pg_[a-z_]+(\.conf)?|postgresql(\.auto)?\.conf|postmaster\.(pid|opts)|\.initdb-\d+)$/;

/**
 * Runs in a child process: PGlite's initdb, and nothing else. The parent gone (kill -9), the child
 * stops at its next turn of the event loop; what it wrote is in its staging folder only.
 */
const INITDB_SCRIPT = `
const [pglite, dataDir, configuration] = process.argv.slice(1);
process.on('disconnect', () => process.exit(1));
const { PGlite } = require(pglite);
const db = new PGlite({ dataDir, postgresqlconf: JSON.parse(configuration) });
db.waitReady
  .then(() => db.close())
  .then(() => process.exit(0), (error) => { console.error(String(error && error.message || error)); process.exit(1); });
`;

/**
 * Creates the database of a new data directory, or finishes one a killed start left half-made.
 *
 * PGlite creates a new database in place, file by file, and `PG_VERSION` is among the first files
 * written: a process killed during that second or two (kill -9, or Ctrl-C on the very first start)
 * leaves a directory PGlite takes for a database and then cannot start, on every later start. A
 * marker brackets the creation. Found at start, it means the creation never finished, so the
 * partial cluster (which cannot hold any data yet) is removed and created again.
 *
 * The creation runs in a short-lived child process: initdb's WebAssembly instance peaks at about
 * 650 MB, and the memory it leaves behind in a process's allocator stays there (a first `npm start`
 * served its first load at 390 MB where every later start serves it at 280 MB). The child's exit
 * returns it all; this process then opens the new database as any later start does.
 *
 * Call after locking the directory; call the returned function once the database is open.
 */
export async function createDatabaseIfNew(dataDir: string, configuration: readonly string[]): Promise<() => void> {
  const marker = join(dataDir, MARKER);
  if (existsSync(marker)) {
    for (const entry of readdirSync(dataDir)) {
      if (CLUSTER_ENTRY.test(entry)) rmSync(join(dataDir, entry), { recursive: true, force: true });
    }
  } else if (existsSync(join(dataDir, 'PG_VERSION'))) {
    return () => undefined;
  }
  writeFileSync(marker, `${process.pid}\n`);
  const staging = join(dataDir, `${STAGING_PREFIX}${process.pid}`);
  mkdirSync(staging);
  await initdbInChild(dataDir, staging, configuration);
  for (const entry of readdirSync(staging)) renameSync(join(staging, entry), join(dataDir, entry));
  rmSync(staging, { recursive: true, force: true });
  return () => rmSync(marker, { force: true });
}

async function initdbInChild(dataDir: string, staging: string, configuration: readonly string[]): Promise<void> {
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const child = spawn(process.execPath, ['-e', INITDB_SCRIPT, pglite, staging, JSON.stringify(configuration)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0)
    throw new Error(
      `creating the embedded database in ${dataDir} failed (the next start tries again): ${stderr.trim() || `exit ${code}`}`,
    );
}
