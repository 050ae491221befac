/**
 * Raw argon2id throughput with Portico's parameters (ARGON2_PARAMETERS) through the same binding
 * (@node-rs/argon2, on the libuv pool) and the same concurrency as HASH_CONCURRENCY's default (one
 * hash per core): the ceiling for sign-ups (hash) and logins (verify) on this machine.
 */
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { ARGON2_PARAMETERS } from '../../src/platform/system/argon2-password-hasher.js';
import { report, serve } from '../lib/child.js';
import { BENCH_PASSWORD } from '../lib/portico.js';
import { summarize, type LatencySummary } from '../lib/stats.js';

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, unreadable under isolated modules)

export interface Argon2Run {
  readonly operation: 'hash' | 'verify';
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly concurrency?: number;
}

export interface Argon2Result {
  readonly operation: 'hash' | 'verify';
  readonly concurrency: number;
  readonly ops: number;
  readonly durationSeconds: number;
  readonly opsPerSecond: number;
  readonly latencyMs: LatencySummary;
  readonly parameters: typeof ARGON2_PARAMETERS;
}

const options = { algorithm: ARGON2ID, ...ARGON2_PARAMETERS };

async function loop(operation: 'hash' | 'verify', stored: string, until: number, latencies: number[] | null) {
  let ops = 0;
  while (performance.now() < until) {
    const started = performance.now();
    if (operation === 'hash') await hash(BENCH_PASSWORD, options);
    else if (!(await verify(stored, BENCH_PASSWORD))) throw new Error('verify returned false');
    latencies?.push(performance.now() - started);
    ops += 1;
  }
  return ops;
}

serve<Argon2Run>(async (run) => {
  const concurrency = run.concurrency ?? availableParallelism();
  const stored = await hash(BENCH_PASSWORD, options);
  const lanes = (until: number, latencies: number[] | null) =>
    Promise.all(Array.from({ length: concurrency }, () => loop(run.operation, stored, until, latencies)));
  if (run.warmupSeconds > 0) await lanes(performance.now() + run.warmupSeconds * 1000, null);
  report({ type: 'measuring' });
  const latencies: number[] = [];
  const started = performance.now();
  const ticker = setInterval(() => {
    report({
      type: 'progress',
      done: latencies.length,
      ok: latencies.length,
      elapsedSeconds: (performance.now() - started) / 1000,
    });
  }, 1_000);
  const counts = await lanes(started + run.durationSeconds * 1000, latencies).finally(() => clearInterval(ticker));
  // Every lane finishes the operation it started, so the window is measured, not assumed.
  const durationSeconds = (performance.now() - started) / 1000;
  const ops = counts.reduce((a, b) => a + b, 0);
  const result: Argon2Result = {
    operation: run.operation,
    concurrency,
    ops,
    durationSeconds,
    opsPerSecond: ops / durationSeconds,
    latencyMs: summarize(latencies),
    parameters: ARGON2_PARAMETERS,
  };
  return result;
});

report({ type: 'ready' });
