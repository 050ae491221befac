import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, inParallel } from './http.js';
import { sleep } from './stats.js';

/**
 * Portico as the user runs it: `npm start` (`node` with its heap flags, `bin/portico.js start`), one process with every role (or one
 * role, `options.role`; see portico-roles.ts), its logs going to a file (a pipe back to the
 * orchestrator would make the bench part of the service's cost). Configuration is the defaults except the abuse limits, which a benchmark from one address
 * would otherwise hit in seconds.
 */

const PORTICO_BIN = fileURLToPath(new URL('../../bin/portico.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The Node flags `npm start` runs Portico with (its heap settings), read from package.json so they cannot drift. */
export function startScriptNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = manifest.scripts.start.split(/\s+/);
  if (words[0] !== 'node' || !words.includes('bin/portico.js'))
    throw new Error('npm start is not `node … bin/portico.js start`');
  return words.slice(1, words.indexOf('bin/portico.js'));
}

export const BENCH_ADMIN = { email: 'bench-admin@example.com', password: 'copper-kettle-meadow-7391' } as const;
export const BENCH_PASSWORD = 'harbor-lantern-quartz-9271';

/** The only settings changed from the defaults, and why: reported with the results. */
export const BENCH_SERVICE_ENV: Record<string, string> = {
  RATE_LIMIT_LOGIN_PER_IP: '1000000', // every request comes from 127.0.0.1
  RATE_LIMIT_REGISTER_PER_IP: '1000000',
  LOCKOUT_THRESHOLD: '1000',
  ACCESS_TOKEN_TTL_SECONDS: '3600', // tokens made while seeding outlive the run
};

export interface PorticoProcess {
  readonly label: string;
  /** The API's process (the only one when every role runs in it). */
  readonly pid: number;
  readonly url: string;
  readonly logFile: string;
  /** Every process of the deployment, by role: one (`start`), or one per role. */
  readonly roles: readonly { readonly role: string; readonly pid: number }[];
  /** Where each process serves `/metrics` (the API at its own URL): the bench sums them. */
  readonly metricsUrls: readonly string[];
  /** SIGTERM and wait for the graceful exit (a CPU profile is written then). */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly label: string;
  readonly workDir: string;
  readonly env: Record<string, string>;
  /**
   * Write V8 CPU profiles on exit (`node --cpu-prof`) into this directory: one per thread (tsx's
   * module-loader hooks run on a worker thread of their own); `mainThreadProfile` finds the main one.
   */
  readonly cpuProfileDir?: string;
  /** `start` (default) or one role: a role without the API is ready once its /metrics answers. */
  readonly role?: string;
  /** How often readiness is asked while it starts (default 200 ms; a start's own measurement asks more often). */
  readonly readyPollMs?: number;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function startPortico(options: StartOptions): Promise<PorticoProcess> {
  mkdirSync(options.workDir, { recursive: true });
  const role = options.role ?? 'start';
  const logFile = join(options.workDir, `${options.label}.log`);
  const port = await freePort();
  const listens = role === 'start' || role === 'api';
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'AMQP_URL', 'NODE_OPTIONS', 'PUBLIC_URL', 'LOG_LEVEL', 'NODE_ENV'])
    delete env[name];
  Object.assign(env, {
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: String(port),
    DATA_DIR: join(options.workDir, `${options.label}-data`),
    PORTICO_ADMIN_EMAIL: BENCH_ADMIN.email,
    PORTICO_ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...BENCH_SERVICE_ENV,
    ...options.env,
  });
  const profileArgs = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...startScriptNodeFlags(), ...profileArgs, PORTICO_BIN, role], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error('could not start portico');
  live.add(child);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      live.delete(child);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const readyUrl = listens ? `${url}/ready` : `${url}/metrics`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`portico (${options.label}) exited while starting:\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`portico (${options.label}) not ready within 120 s:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(options.readyPollMs ?? 200);
  }
  return {
    label: options.label,
    pid: child.pid,
    url,
    logFile,
    roles: [{ role, pid: child.pid }],
    metricsUrls: [url],
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Node names profiles `CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile`; the main thread is 0. */
export function mainThreadProfile(dir: string, pid: number): string | null {
  const name = readdirSync(dir).find((file) =>
    new RegExp(`^CPU\\.\\d+\\.\\d+\\.${pid}\\.0\\.\\d+\\.cpuprofile$`).test(file),
  );
  return name ? join(dir, name) : null;
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------------------------------------
// Portico's API for seeding and probing

export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

export interface SeededUser {
  readonly id: string;
  readonly email: string;
  readonly username: string;
}

export async function login(url: string, email: string, password: string): Promise<Tokens> {
  const { status, body } = await call(`${url}/api/v1/auth/login`, { method: 'POST', body: { email, password } });
  if (status !== 200) throw new Error(`login of ${email} failed: ${status} ${JSON.stringify(body)}`);
  return body as Tokens;
}

/** Signs up `count` users (`Prefer: wait`, so each is readable when this returns), a few at a time. */
export function registerUsers(url: string, prefix: string, count: number, concurrency = 4): Promise<SeededUser[]> {
  return inParallel(count, concurrency, async (i) => {
    const username = `${prefix}-${i}`;
    const email = `${username}@bench.example.com`;
    const { status, body } = await call(`${url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { prefer: 'wait=30' },
      body: { email, username, firstName: 'Bench', lastName: `User ${i}`, password: BENCH_PASSWORD },
    });
    if (status !== 201) throw new Error(`sign-up of ${email} failed: ${status} ${JSON.stringify(body)}`);
    return { id: (body as { id: string }).id, email, username };
  });
}

/**
 * `PATCH` with `Prefer: wait`: `ms` is the time from sending until the change is visible in the read
 * model (200). A 202 means it was accepted but not visible within the wait.
 */
export async function timedPatch(
  url: string,
  token: string,
  userId: string,
  firstName: string,
): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const { status } = await call(
    `${url}/api/v1/users/${userId}`,
    {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, prefer: 'wait=30' },
      body: { firstName },
    },
    35_000,
  ).catch(() => ({ status: 0 }));
  return { status, ms: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------
// Prometheus text from GET /metrics

export class MetricsSnapshot {
  private constructor(private readonly samples: readonly { name: string; labels: string; value: number }[]) {}

  /** Every process's samples together: roles in separate processes each report their own. */
  static async scrape(urls: readonly string[]): Promise<MetricsSnapshot> {
    const texts = await Promise.all(
      urls.map(async (url) => (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text()),
    );
    const samples: { name: string; labels: string; value: number }[] = [];
    for (const line of texts.join('\n').split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
      if (match) samples.push({ name: match[1]!, labels: match[2] ?? '', value: Number(match[3]) });
    }
    return new MetricsSnapshot(samples);
  }

  /** Sum of every sample of `name` whose labels contain each of `labels` (`key="value"`). */
  sum(name: string, ...labels: string[]): number {
    return this.samples
      .filter((s) => s.name === name && labels.every((label) => s.labels.includes(label)))
      .reduce((total, s) => total + (Number.isFinite(s.value) ? s.value : 0), 0);
  }
}

/** A port nothing listens on now, from the kernel: a random pick could land on a client's ephemeral port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
