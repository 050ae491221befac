import { loadavg } from 'node:os';
import { startPortico, type StartOptions } from './portico.js';
import { readProcess } from './proc.js';
import { record, type BenchContext } from './scenarios.js';
import { monotonicMicros, quantile } from './stats.js';

/** Later starts measured per setup: the median is the figure, the slowest is shown beside it. */
const STARTS = 3;

/**
 * A later start, as an operator restarting the service sees it: from spawning `portico start` on a
 * database that exists and is migrated to the first 200 of `/ready`, polled every 10 ms. The RSS
 * is the service's at that moment, before any request.
 */
export async function laterStarts(ctx: BenchContext, start: StartOptions, setup: string): Promise<void> {
  ctx.progress.begin(`later start: ${setup}`);
  const times: number[] = [];
  let rssMb = 0;
  const began = monotonicMicros();
  for (let i = 0; i < STARTS; i += 1) {
    const spawned = performance.now();
    const service = await startPortico({ ...start, readyPollMs: 10 });
    times.push(performance.now() - spawned);
    rssMb = Math.max(rssMb, (readProcess(service.pid)?.rssBytes ?? 0) / 2 ** 20);
    await service.stop();
  }
  const ended = monotonicMicros();
  const median = quantile(times, 0.5)!;
  record(ctx, {
    id: `start-${start.label}`,
    scenario: 'start',
    title: 'a later start: `portico start` to the first 200 on /ready',
    setup,
    unit: 'ms to /ready',
    rate: median,
    latencyMs: { p50: median, p99: Math.max(...times) },
    durationSeconds: 0,
    concurrency: `${STARTS} starts`,
    failures: { count: 0, samples: [] },
    processes: [{ label: 'portico', cpuPercent: 0, rssAvgMb: rssMb, rssMaxMb: rssMb, processes: 1 }],
    loadAverage1m: loadavg()[0]!,
    windowMicros: [began, ended],
    details: { startsMs: times.map((t) => Math.round(t)) },
  });
}
