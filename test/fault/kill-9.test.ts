import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { killAllServices } from '../support/service-process.js';
import { AUDIT_QUERIES, formatReport, runKillScenario, type AuditRows, type ScenarioReport } from './kill-scenario.js';

/**
 * DESIGN.md §2: "an accepted command survives kill -9 and is processed after restart". A real
 * process takes a burst of commands (1,000 on PostgreSQL; 400 on PGlite, whose single-process
 * pipeline is the slower one and proves the same with fewer), is SIGKILLed part-way, is started
 * again on the same data, and the ledger of 202s must match what the database applied: nothing
 * lost, nothing twice.
 */

type Query = (text: string) => Promise<Record<string, unknown>[]>;

async function readAudit(query: Query): Promise<AuditRows> {
  const [events, users, views, queues, statuses] = await Promise.all([
    query(AUDIT_QUERIES.events),
    query(AUDIT_QUERIES.users),
    query(AUDIT_QUERIES.views),
    query(AUDIT_QUERIES.queues),
    query(AUDIT_QUERIES.statuses),
  ]);
  return { events, users, views, queues, statuses } as unknown as AuditRows;
}

function expectClean(report: ScenarioReport): void {
  console.log(formatReport(report));
  expect(report.problems).toEqual([]);
  expect(report.acceptedBeforeKill).toBeGreaterThan(0);
  expect(report.accepted).toBeGreaterThan(report.acceptedBeforeKill);
  expect(report.unresolved).toBe(0);
  expect(report.rejected).toEqual([]);
  expect(report.failed).toEqual([]);
  expect(report.lost).toBe(0);
  expect(report.duplicates).toBe(0);
  expect(report.applied).toBe(report.accepted);
  // Nothing was refused, so every planned command ended up accepted exactly once.
  expect(report.accepted).toBe(report.sent);
}

afterAll(async () => {
  await killAllServices();
});

describe('kill -9 during a burst: embedded (PGlite)', () => {
  const dataDir = join(tmpdir(), `portico-fault-${randomUUID()}`);
  afterAll(async () => {
    await killAllServices();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no accepted command and applies each exactly once', { timeout: 200_000 }, async () => {
    const report = await runKillScenario({
      name: 'pglite',
      env: { DATA_DIR: dataDir, HASH_CONCURRENCY: '2' },
      total: 400,
      killAfterAccepted: 160,
      readDatabase: async () => {
        const db = new PGlite(dataDir);
        try {
          return await readAudit(async (text) => (await db.query<Record<string, unknown>>(text)).rows);
        } finally {
          await db.close();
        }
      },
    });
    expectClean(report);
  });
});

describe('kill -9 during a burst: PostgreSQL', async () => {
  const available = await postgresAvailable();
  let drop: (() => Promise<void>) | null = null;
  afterAll(async () => {
    await killAllServices();
    await drop?.();
  });

  it.skipIf(!available)('loses no accepted command and applies each exactly once', { timeout: 200_000 }, async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    const report = await runKillScenario({
      name: 'postgres',
      env: { DATABASE_URL: database.url, HASH_CONCURRENCY: '2' },
      // Messages leased by the killed process come back when their 30 s lease expires.
      drainTimeoutMs: 120_000,
      readDatabase: async () => {
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        try {
          return await readAudit(async (text) => (await client.query<Record<string, unknown>>(text)).rows);
        } finally {
          await client.end();
        }
      },
    });
    expectClean(report);
  });
});
