import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/platform/db/database.js';

describe('the embedded database’s configuration', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portico-pglite-conf-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const settings = async () => {
    const database = await Database.pglite(dataDir);
    try {
      const { rows } = await database.query<{ name: string; setting: string; unit: string | null }>(
        sql`select name, setting, unit from pg_settings where name in ('shared_buffers', 'TimeZone', 'DateStyle', 'lc_messages')`,
      );
      return Object.fromEntries(
        rows.map((r) => [r.name, r.unit === '8kB' ? `${(Number(r.setting) * 8) / 1024}MB` : r.setting]),
      );
    } finally {
      await database.close();
    }
  };

  it('keeps a small buffer pool, and initdb’s time zone, date style and messages, on a new database and on every later open', async () => {
    const created = await settings();
    const reopened = await settings();
    for (const opened of [created, reopened]) {
      expect(opened.shared_buffers).toBe('16MB');
      expect(opened.TimeZone).toBe('UTC');
      expect(opened.DateStyle).toBe('ISO, MDY');
      expect(opened.lc_messages).toBe('C');
    }
    // PGlite writes the file from the list at each open: it stays the same, it does not grow.
    const conf = readFileSync(join(dataDir, 'postgresql.conf'), 'utf8');
    expect(conf.match(/shared_buffers/g)).toHaveLength(1);
  }, 60_000);
});
