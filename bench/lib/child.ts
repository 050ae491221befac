import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Every load generator and baseline runs in a child process of its own, never in the process being
 * measured nor in the orchestrator. Children are TypeScript files run through tsx, and talk to the
 * orchestrator over the IPC channel: `{ type: 'run', ... }` in, `progress` / `measuring` /
 * `result` / `error` out.
 */

const TSX = import.meta.resolve('tsx');

export type ChildMessage =
  | { type: 'ready'; [key: string]: unknown }
  | { type: 'measuring' }
  | { type: 'progress'; done: number; ok: number; elapsedSeconds: number }
  | { type: 'result'; result: unknown }
  | { type: 'error'; message: string };

export interface BenchChild {
  readonly process: ChildProcess;
  readonly pid: number;
  send(message: unknown): void;
  /** Resolves with the next message of `type`; rejects on an `error` message or an early exit. */
  next<T extends ChildMessage['type']>(type: T, timeoutMs?: number): Promise<Extract<ChildMessage, { type: T }>>;
  onMessage(listener: (message: ChildMessage) => void): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
  readonly stderr: () => string;
}

export function startChild(file: string, env: Record<string, string> = {}): BenchChild {
  const path = fileURLToPath(new URL(`../children/${file}`, import.meta.url));
  const child = fork(path, [], {
    execArgv: ['--import', TSX],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  let errorOutput = '';
  const keep = (chunk: Buffer) => {
    errorOutput = (errorOutput + chunk.toString()).slice(-4_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const listeners = new Set<(message: ChildMessage) => void>();
  child.on('message', (message) => {
    for (const listener of listeners) listener(message as ChildMessage);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  return {
    process: child,
    pid: child.pid,
    send: (message) => child.send(message as never),
    onMessage: (listener) => listeners.add(listener),
    stderr: () => errorOutput,
    next: (type, timeoutMs = 15 * 60_000) =>
      new Promise((resolve, reject) => {
        const done = () => {
          listeners.delete(listener);
          child.off('exit', onExit);
          clearTimeout(timer);
        };
        const listener = (message: ChildMessage) => {
          if (message.type === type) {
            done();
            resolve(message as never);
          } else if (message.type === 'error') {
            done();
            reject(new Error(`${file}: ${message.message}`));
          }
        };
        const onExit = (code: number | null) => {
          done();
          reject(new Error(`${file} exited (${code}) before "${type}":\n${errorOutput}`));
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${file}: no "${type}" within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(listener);
        child.once('exit', onExit);
        if (exited) onExit(child.exitCode);
      }),
    stop: async (graceMs = 5_000) => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** For child processes: report to the orchestrator. */
export function report(message: ChildMessage): void {
  process.send?.(message);
}

/** For child processes: runs `handler` on every `run` message and reports its result or error. */
export function serve<T>(handler: (message: T) => Promise<unknown>): void {
  process.on('message', (message: { type?: string } & T) => {
    if (message.type !== 'run') return;
    handler(message).then(
      (result) => report({ type: 'result', result }),
      (error: unknown) =>
        report({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  // The orchestrator going away ends the child: nothing may keep loading the machine.
  process.on('disconnect', () => process.exit(0));
}
