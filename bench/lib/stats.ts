/** Small numeric helpers shared by the orchestrator and the child processes. */

/** The q-quantile (0..1) of `values` by nearest rank; null when there are none. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

export function summarize(valuesMs: readonly number[]): LatencySummary {
  return {
    count: valuesMs.length,
    p50: quantile(valuesMs, 0.5),
    p99: quantile(valuesMs, 0.99),
    max: largest(valuesMs),
  };
}

/** The largest value, null when there are none; a loop, not `Math.max(...values)`, whose spread overflows the stack past ~100k values. */
export function largest(values: readonly number[]): number | null {
  let max: number | null = null;
  for (const value of values) if (max === null || value > max) max = value;
  return max;
}

/** Rounds to a few significant digits for reports: 1234.5678 → 1235, 0.012345 → 0.0123. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return Number(value.toFixed(Math.min(decimals, 6)));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** CLOCK_MONOTONIC in microseconds: the clock V8 stamps CPU profiles with, the same in every process. */
export const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);
