import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The `prometheus` binary (Debian package `prometheus`), or PROMETHEUS_BIN; null when absent. */
export function findPrometheus(): string | null {
  const candidates = process.env.PROMETHEUS_BIN
    ? [process.env.PROMETHEUS_BIN]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'prometheus'));
  for (const candidate of [...candidates, '/usr/bin/prometheus']) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

export interface PromSeries {
  readonly metric: Record<string, string>;
  readonly value?: [number, string];
}

export interface PrometheusApiError {
  readonly errorType: string;
  readonly error: string;
}

/** A real Prometheus server on a free port with its own storage, removed on `stop`. */
export class PrometheusServer {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly dir: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** `config` is prometheus.yml content; it may refer to files in the returned temp dir. */
  static async start(binary: string, config: (dir: string) => string): Promise<PrometheusServer> {
    const dir = mkdtempSync(join(tmpdir(), 'portico-prometheus-'));
    writeFileSync(join(dir, 'prometheus.yml'), config(dir));
    const port = await freePort();
    const child = spawn(
      binary,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const server = new PrometheusServer(child, `http://127.0.0.1:${port}`, dir);
    await server.waitFor('Prometheus to be ready', 30_000, async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}):\n${server.output}`);
      const response = await fetch(`${server.url}/-/ready`).catch(() => null);
      return response?.ok === true;
    });
    return server;
  }

  get log(): string {
    return this.output;
  }

  /** Instant query; returns the series, or the error Prometheus gave. */
  async query(expr: string): Promise<{ series: PromSeries[] } | { error: PrometheusApiError }> {
    const response = await fetch(`${this.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: expr }),
    });
    const body = (await response.json()) as {
      status: string;
      data?: { resultType: string; result: PromSeries[] | [number, string] };
      errorType?: string;
      error?: string;
    };
    if (body.status !== 'success' || !body.data) {
      return { error: { errorType: body.errorType ?? 'unknown', error: body.error ?? JSON.stringify(body) } };
    }
    // A scalar result (e.g. `vector(0)` reduced) is one value, not a list of series.
    const series =
      body.data.resultType === 'scalar'
        ? [{ metric: {}, value: body.data.result as [number, string] }]
        : (body.data.result as PromSeries[]);
    return { series };
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.url}${path}`);
    const body = (await response.json()) as { status: string; data: T };
    if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`);
    return body.data;
  }

  async waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${this.output}`);
      await sleep(250);
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!killed) {
        this.child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
