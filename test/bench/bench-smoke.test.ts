import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startChild } from '../../bench/lib/child.js';
import { peerSessionCookie, signUpPeerUsers } from '../../bench/lib/peer.js';
import { ARGON2_PARAMETERS } from '../../src/platform/system/argon2-password-hasher.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';

/**
 * Not a benchmark: only that `bench/run.ts` runs end to end and writes its two files. No timing is
 * asserted (the numbers depend on whatever else the machine is doing).
 */
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'portico-bench-smoke-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench (smoke)', () => {
  it('runs the bare Fastify baseline for a second and writes <date>.json and <date>.md', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--duration', '1', '--scenarios', 'baseline-fastify', '--out', out],
      { cwd: ROOT, timeout: 25_000 },
    );
    const files = readdirSync(out);
    const json = files.find((f) => f.endsWith('.json'));
    const md = files.find((f) => f.endsWith('.md'));
    expect(json).toBeDefined();
    expect(md).toBeDefined();

    const report = JSON.parse(readFileSync(join(out, json!), 'utf8')) as {
      machine: { cores: number; cpuModel: string; node: string };
      results: { id: string; rate: number; processes: { label: string }[] }[];
    };
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
    expect(report.results.map((r) => r.id)).toEqual(['baseline-fastify']);
    expect(report.results[0]!.rate).toBeGreaterThan(0);
    expect(report.results[0]!.processes.map((p) => p.label)).toEqual(['fastify', 'autocannon']);
    expect(readFileSync(join(out, md!), 'utf8')).toContain('| Fastify: GET returning JSON |');
    expect(stdout).toContain('## Results');
  }, 30_000);
});

// The peer's setup is what a Better Auth upgrade can break; the rounds themselves are the bench's
// (a full `--scenarios peer` run starts Portico and seeds it: too slow for every test run). The
// limits are generous for a machine busy with other suites (it took 7 s at a load average of 12).
describe.skipIf(!(await postgresAvailable()))('the Better Auth peer (smoke)', () => {
  it("migrates its own database, hashes with Portico's argon2id and reads the session from its cookie", async () => {
    const database = await createTestDatabase();
    const server = startChild('better-auth-peer.ts', { BENCH_PEER_DATABASE_URL: database.url });
    const client = new pg.Client({ connectionString: database.url });
    try {
      const url = String((await server.next('ready', 45_000)).url);
      const [email] = await signUpPeerUsers(url, 'smoke', 1);
      const cookie = await peerSessionCookie(url, email!);
      const session = await fetch(`${url}/api/auth/get-session`, { headers: { cookie } });
      expect(session.status).toBe(200);
      expect(((await session.json()) as { user: { email: string } }).user.email).toBe(email);

      await client.connect();
      const { rows } = await client.query<{ password: string }>('select password from account');
      const { memoryCost, timeCost, parallelism } = ARGON2_PARAMETERS;
      expect(rows.map((r) => r.password.split('$').slice(1, 4).join('$'))).toEqual([
        `argon2id$v=19$m=${memoryCost},t=${timeCost},p=${parallelism}`,
      ]);
    } finally {
      await client.end().catch(() => undefined);
      await server.stop();
      await database.drop();
    }
  }, 60_000);
});
