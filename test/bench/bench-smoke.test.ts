import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

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
