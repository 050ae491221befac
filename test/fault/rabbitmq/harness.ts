import { expect } from 'vitest';
import { audit, printReport, succeededCommands, type CaseReport } from './audit.js';
import type { Cluster } from './cluster.js';
import { authHeaders, seedUsers, SteadyLoad } from './load.js';
import { runId } from './services.js';

export interface RunningLoad {
  readonly load: SteadyLoad;
  readonly users: readonly string[];
  readonly headers: Record<string, string>;
  finish(name: string, timeoutMs?: number): Promise<CaseReport>;
}

/** Seeds a few users, then starts the steady load; `finish` stops it and audits the ledger. */
export async function startLoad(
  cluster: Cluster,
  urls: { databaseUrl: string; amqpUrl: string },
  ratePerSecond = 10,
): Promise<RunningLoad> {
  const id = runId();
  const headers = await authHeaders(cluster.apiUrl);
  const users = await seedUsers(cluster.apiUrl, headers, id, 6);
  const succeededBefore = await succeededCommands(urls.databaseUrl);
  const load = new SteadyLoad({ apiUrl: () => cluster.apiUrl, ratePerSecond, users, headers, runId: id });
  load.start();
  return {
    load,
    users,
    headers,
    finish: async (name, timeoutMs = 60_000) => {
      await load.stop();
      const report = await audit({ name, ...urls, ledger: load.ledger, timeoutMs, succeededBefore });
      printReport(report);
      return report;
    },
  };
}

/** What every case asserts: each 202 applied exactly once, every event projected, DLQs as expected. */
export function expectExactlyOnce(report: CaseReport, dlq: Record<string, number> = {}): void {
  expect(report.accepted, 'the load got commands through').toBeGreaterThan(30);
  expect(report).toMatchObject({ lost: 0, duplicates: 0, failed: 0, unpublished: 0, unprojected: 0 });
  expect(report.applied).toBe(report.accepted);
  for (const [queue, n] of Object.entries(report.dlq)) expect(n, queue).toBe(dlq[queue] ?? 0);
}

/** Log lines of every worker process (bounded to each one's recent output) matching a predicate. */
export function workerLines(cluster: Cluster, predicate: (line: string) => boolean): number {
  return cluster
    .workers()
    .map((name) => cluster.role(name).output.filter(predicate).length)
    .reduce((a, b) => a + b, 0);
}
