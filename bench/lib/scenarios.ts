import type { Measured } from './measure.js';
import type { LoadResult } from './load-spec.js';
import type { Progress } from './progress.js';
import type { ScenarioResult } from './results.js';

/**
 * What every scenario shares: the connections per kind of scenario, the run's context, and how a
 * measurement becomes a row of the results. The scenarios themselves are in baselines.ts,
 * portico-scenarios.ts, pipeline.ts and peer.ts.
 */

/** Connections (or concurrent operations) per kind of scenario, the same for a scenario and its baseline. */
export const CONCURRENCY = {
  /** Cheap requests: enough to keep a 2-core service busy without queueing for long. */
  http: 16,
  /** Requests that hash: HASH_CONCURRENCY (cores) are computed at once, the rest wait their turn. */
  hashing: 8,
  pipeline: 16,
  /** Outstanding confirms of the broker baseline (like `pipeline` concurrent API requests)… */
  amqpWindow: 16,
  /** …and the consumer's prefetch. */
  amqpPrefetch: 32,
} as const;

export interface BenchContext {
  readonly runId: string;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly progress: Progress;
  readonly results: ScenarioResult[];
}

export function fromLoad(
  id: string,
  scenario: string,
  title: string,
  setup: string,
  unit: string,
  measured: Measured<LoadResult>,
  concurrency: string,
  details?: Record<string, unknown>,
): ScenarioResult {
  const load = measured.result;
  return {
    id,
    scenario,
    title,
    setup,
    unit,
    rate: load.okPerSecond,
    latencyMs: { p50: load.latencyMs.p50, p99: load.latencyMs.p99 },
    durationSeconds: load.durationSeconds,
    concurrency,
    failures: { count: load.requests - load.ok, samples: load.sampleFailures },
    processes: measured.processes,
    loadAverage1m: measured.loadAverage1m,
    windowMicros: measured.windowMicros,
    details: { statusCodes: load.statusCodes, errors: load.errors, timeouts: load.timeouts, ...details },
  };
}

export function record(ctx: BenchContext, result: ScenarioResult): ScenarioResult {
  ctx.results.push(result);
  const p = (v: number | null) => (v === null ? '–' : v.toFixed(v < 10 ? 1 : 0));
  const cpu = result.processes.map((u) => `${u.label} ${u.cpuPercent.toFixed(0)}%`).join(', ');
  ctx.progress.line(
    `    ${result.id}: ${result.rate.toFixed(result.rate < 100 ? 1 : 0)} ${result.unit}, p50 ${p(result.latencyMs.p50)} ms, ` +
      `p99 ${p(result.latencyMs.p99)} ms${result.failures.count ? `, ${result.failures.count} failed` : ''} (${cpu})`,
  );
  return result;
}

/**
 * Runs of one measurement become one row: a baseline measured before and after its scenario keeps
 * the better run; a peer scenario's alternating rounds keep the median one. All runs and their
 * spread go in `details`.
 */
export function mergeRepeats(ctx: BenchContext, id: string, keep: 'best' | 'median' = 'best'): void {
  const runs = ctx.results.filter((r) => r.id === id);
  if (runs.length < 2) return;
  const byRate = [...runs].sort((a, b) => a.rate - b.rate);
  const kept = keep === 'best' ? byRate.at(-1)! : byRate[Math.ceil(byRate.length / 2) - 1]!;
  const rates = runs.map((r) => r.rate);
  const merged: ScenarioResult = {
    ...kept,
    details: {
      ...kept.details,
      kept: keep,
      runs: runs.map((r) => ({ rate: r.rate, latencyMs: r.latencyMs, loadAverage1m: r.loadAverage1m })),
      spread: (Math.max(...rates) - Math.min(...rates)) / Math.max(...rates),
    },
  };
  const at = ctx.results.indexOf(runs[0]!);
  for (const run of runs) ctx.results.splice(ctx.results.indexOf(run), 1);
  ctx.results.splice(at, 0, merged);
}
