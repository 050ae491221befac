import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = 'portico.creating';
/** What PGlite (initdb) writes at the top of a data directory; nothing else is ever removed. */
const CLUSTER_ENTRY = /^(PG_VERSION|base|global|pg_[a-z_]+(\.conf)?|postgresql(\.auto)?\.conf|postmaster\.(pid|opts))$/;

/**
 * PGlite creates a new database in place, file by file, and `PG_VERSION` is among the first files
 * written: a process killed during that second or two (kill -9, or Ctrl-C on the very first start)
 * leaves a directory PGlite takes for a database and then cannot start, on every later start. A
 * marker brackets the creation. Found at start, it means the creation never finished, so the
 * partial cluster (which cannot hold any data yet) is removed and created again.
 *
 * Call after locking the directory; call the returned function once the database is open.
 */
export function guardDatabaseCreation(dataDir: string): () => void {
  const marker = join(dataDir, MARKER);
  if (existsSync(marker)) {
    for (const entry of readdirSync(dataDir)) {
      if (CLUSTER_ENTRY.test(entry)) rmSync(join(dataDir, entry), { recursive: true, force: true });
    }
  } else if (existsSync(join(dataDir, 'PG_VERSION'))) {
    return () => undefined;
  }
  writeFileSync(marker, `${process.pid}\n`);
  return () => rmSync(marker, { force: true });
}
