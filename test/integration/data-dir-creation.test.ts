import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabaseIfNew } from '../../src/platform/db/data-dir-creation.js';
import { Database } from '../../src/platform/db/database.js';
import { pgliteConfiguration } from '../../src/platform/db/pglite-configuration.js';

describe('creating the embedded database', () => {
  const root = mkdtempSync(join(tmpdir(), 'portico-initdb-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const newDir = (name: string) => {
    const dir = join(root, name);
    mkdirSync(dir);
    return dir;
  };
  const opens = async (dataDir: string) => {
    const database = await Database.pglite(dataDir);
    try {
      const { rows } = await database.query<{ one: number }>(sql`select 1 as one`);
      return rows[0]?.one;
    } finally {
      await database.close();
    }
  };

  it('runs initdb in a child process, whose memory goes with it, and keeps the marker until the database opens', async () => {
    const dataDir = newDir('new');
    const externalBefore = process.memoryUsage().external;
    const opened = await createDatabaseIfNew(dataDir, pgliteConfiguration());
    // initdb in this process would hold its WebAssembly memory (over 500 MB) here until a GC.
    expect(process.memoryUsage().external - externalBefore).toBeLessThan(64 * 2 ** 20);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(readdirSync(dataDir).filter((entry) => entry.startsWith('.initdb-'))).toEqual([]);
    expect(existsSync(join(dataDir, 'portico.creating'))).toBe(true);
    opened();
    expect(existsSync(join(dataDir, 'portico.creating'))).toBe(false);
    expect(await opens(dataDir)).toBe(1);
    // A later open finds the database and creates nothing.
    expect(await createDatabaseIfNew(dataDir, pgliteConfiguration())).toBeTypeOf('function');
    expect(existsSync(join(dataDir, 'portico.creating'))).toBe(false);
  }, 60_000);

  it('says so when initdb fails; the next start removes what a failed or killed creation left and creates it again', async () => {
    const dataDir = newDir('failed');
    await expect(createDatabaseIfNew(dataDir, ['shared_buffers = nonsense'])).rejects.toThrow(
      `creating the embedded database in ${dataDir} failed (the next start tries again): PGlite failed to initialize`,
    );
    // The marker stays. Beside the failed staging folder, what a start killed while moving the
    // entries into place, or while its initdb child wrote, leaves; and a file that is not the cluster's.
    expect(existsSync(join(dataDir, 'portico.creating'))).toBe(true);
    writeFileSync(join(dataDir, 'PG_VERSION'), '17\n');
    mkdirSync(join(dataDir, 'base'));
    mkdirSync(join(dataDir, '.initdb-4242'));
    writeFileSync(join(dataDir, '.initdb-4242', 'PG_VERSION'), '17\n');
    writeFileSync(join(dataDir, 'encryption.key'), 'kept');
    expect(await opens(dataDir)).toBe(1);
    expect(readdirSync(dataDir).filter((entry) => entry.startsWith('.initdb-'))).toEqual([]);
    expect(readdirSync(dataDir)).toContain('encryption.key');
    expect(existsSync(join(dataDir, 'portico.creating'))).toBe(false);
  }, 60_000);
});
