import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Portico as a real operating-system process (`node bin/portico.js start`), for fault tests that
 * kill it. The child is spawned detached, so it leads its own process group and `kill9` signals
 * the whole group (tsx or a future wrapper may fork a child of its own).
 */

export const PORTICO_BIN = fileURLToPath(new URL('../../bin/portico.js', import.meta.url));

export interface LogLine {
  readonly msg?: string;
  readonly level?: number;
  readonly [field: string]: unknown;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  readonly pid: number;
  readonly port: number;
  /** Set once the "Portico is ready" line was seen. */
  readonly url: string;
  /** Recent output, stdout and stderr, raw lines (bounded). */
  readonly output: readonly string[];
  readonly exited: Promise<Exit>;
  readonly hasExited: boolean;
  /**
   * Resolves with the first JSON log line matching `predicate`; earlier lines count too (`seq`
   * numbers every line from 0, so a caller can ask only for lines after `logCount()`).
   */
  waitForLog(predicate: (line: LogLine, seq: number) => boolean, timeoutMs: number): Promise<LogLine>;
  /** How many JSON log lines were seen so far (request logs are not kept). */
  logCount(): number;
  /** Resolves once the service logged it is ready; rejects if it exits first. */
  ready(timeoutMs?: number): Promise<string>;
  /** SIGKILL to the whole process group; resolves when the child was reaped. */
  kill9(): Promise<Exit>;
  /** SIGTERM (graceful shutdown); SIGKILL if it is still running after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<Exit>;
}

export interface SpawnOptions {
  /** Variables on top of the inherited environment (DATA_DIR, DATABASE_URL, ...). */
  readonly env?: Record<string, string>;
  /** Fixed port; random in 40000–49999 when absent. */
  readonly port?: number;
  /** The CLI arguments; `['start']` when absent (`['worker']`, `['relay']`… run one role). */
  readonly args?: readonly string[];
}

/** The administrator every spawned service bootstraps (PORTICO_ADMIN_*), unless `env` overrides it. */
export const SERVICE_ADMIN = { email: 'fault-admin@example.com', password: 'sturdy-lighthouse-keeper-47' } as const;

/** A fixed sealing key (32 bytes, base64) for the processes tests spawn with NODE_ENV=production. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

const OUTPUT_LINES = 400;
const live = new Set<ServiceProcess>();

export function randomPort(): number {
  return 40_000 + Math.floor(Math.random() * 10_000);
}

/** Starts the process and returns at once (use `ready()`), so a test can kill it while it boots. */
export function spawnService(options: SpawnOptions = {}): ServiceProcess {
  const port = options.port ?? randomPort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing from the test runner's environment may pick the database or the broker by accident.
  for (const name of ['DATABASE_URL', 'AMQP_URL', 'DATA_DIR', 'PUBLIC_URL', 'NODE_OPTIONS']) delete env[name];
  Object.assign(env, {
    NODE_ENV: 'production',
    // Production refuses to start without it; the same key in every process of a test.
    ENCRYPTION_KEYS: TEST_ENCRYPTION_KEY,
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(port),
    PORTICO_ADMIN_EMAIL: SERVICE_ADMIN.email,
    PORTICO_ADMIN_PASSWORD: SERVICE_ADMIN.password,
    ...options.env,
  });
  const child = spawn(process.execPath, [PORTICO_BIN, ...(options.args ?? ['start'])], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(child, port);
}

/** The port was taken: found before the start (`portico: port N is in use…`) or at the listen. */
const isPortTaken = (text: string) => text.includes('EADDRINUSE') || /port \d+ is in use/.test(text);

/**
 * Spawns and waits until ready. A port taken between choosing and binding (EADDRINUSE) is retried
 * on another random port, unless the caller fixed the port.
 */
export async function startService(options: SpawnOptions = {}, readyTimeoutMs = 60_000): Promise<ServiceProcess> {
  for (let attempt = 1; ; attempt += 1) {
    const service = spawnService(options);
    try {
      await service.ready(readyTimeoutMs);
      return service;
    } catch (error) {
      await service.kill9();
      const portTaken = service.output.some(isPortTaken);
      if (!portTaken || options.port !== undefined || attempt >= 5) throw error;
    }
  }
}

/**
 * Starts the service again after `previous` ended, on the same port when it is free: the URL is
 * what clients know, and it is also the default `iss` of access tokens, so a token issued before
 * stays valid only on the same port.
 */
export async function restartService(
  previous: ServiceProcess,
  options: SpawnOptions = {},
  readyTimeoutMs = 60_000,
): Promise<ServiceProcess> {
  await previous.exited;
  try {
    return await startService({ ...options, port: previous.port }, readyTimeoutMs);
  } catch (error) {
    // The failure message carries the process's last output lines.
    if (!isPortTaken(String(error))) throw error;
    return startService(options, readyTimeoutMs);
  }
}

/** Logs in as `SERVICE_ADMIN` and returns the `Authorization` header value. */
export async function adminAuthorization(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: SERVICE_ADMIN.email, password: SERVICE_ADMIN.password }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await response.json()) as { accessToken?: string };
  if (response.status !== 200 || !body.accessToken) {
    throw new Error(`admin login failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return `Bearer ${body.accessToken}`;
}

/** Kills every service process this test file started that still runs; for `afterAll`. */
export async function killAllServices(): Promise<void> {
  await Promise.all([...live].map((service) => service.kill9()));
}

// Last resort when the test process ends without its afterAll (a crash, a timeout): no orphans.
process.once('exit', () => {
  for (const service of live) signalGroup(service.pid, 'SIGKILL');
});

function track(child: ChildProcess, port: number): ServiceProcess {
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn portico');
  const output: string[] = [];
  const logs: { seq: number; line: LogLine }[] = [];
  let seen = 0;
  const listeners = new Set<() => void>();
  let exit: Exit | null = null;
  let url = '';

  const onLine = (line: string) => {
    // Request logs are most of the volume, and neither waiters nor failure reports need them.
    if (line.includes('"msg":"request completed"')) return;
    output.push(line);
    if (output.length > OUTPUT_LINES) output.shift();
    if (!line.startsWith('{')) return;
    try {
      const parsed = JSON.parse(line) as LogLine;
      logs.push({ seq: seen++, line: parsed });
      if (logs.length > OUTPUT_LINES) logs.shift();
      for (const listener of listeners) listener();
    } catch {
      // Not JSON after all: kept in `output` only.
    }
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);

  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      live.delete(service);
      for (const listener of listeners) listener();
      resolve(exit);
    });
  });

  const waitForLog = (predicate: (line: LogLine, seq: number) => boolean, timeoutMs: number): Promise<LogLine> =>
    new Promise((resolve, reject) => {
      const done = () => {
        listeners.delete(check);
        clearTimeout(timer);
      };
      const check = () => {
        const found = logs.find((entry) => predicate(entry.line, entry.seq));
        if (found) {
          done();
          resolve(found.line);
        } else if (exit) {
          done();
          reject(new Error(`portico (pid ${pid}) exited ${JSON.stringify(exit)} first:\n${tail(output)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`portico (pid ${pid}): no such log line within ${timeoutMs} ms:\n${tail(output)}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });

  const service: ServiceProcess = {
    pid,
    port,
    get url() {
      return url;
    },
    output,
    exited,
    get hasExited() {
      return exit !== null;
    },
    waitForLog,
    logCount: () => seen,
    ready: async (timeoutMs = 60_000) => {
      const line = await waitForLog(
        (l) => typeof l.msg === 'string' && l.msg.startsWith('Portico is ready'),
        timeoutMs,
      );
      url = String(line.url);
      return url;
    },
    kill9: async () => {
      if (exit) return exit;
      signalGroup(pid, 'SIGKILL');
      return exited;
    },
    stop: async (timeoutMs = 25_000) => {
      if (exit) return exit;
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  live.add(service);
  return service;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already; the child itself may still be unreaped.
    try {
      process.kill(pid, signal);
    } catch {
      // Gone as well.
    }
  }
}

function tail(lines: readonly string[], count = 30): string {
  return lines.slice(-count).join('\n');
}
