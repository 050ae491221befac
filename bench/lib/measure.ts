import { loadavg } from 'node:os';
import { startChild } from './child.js';
import type { LoadResult, LoadSpec } from './load-spec.js';
import { ProcessSampler, singleProcess, type ProcessGroup, type ProcessUsage } from './proc.js';
import type { Progress } from './progress.js';
import { monotonicMicros } from './stats.js';

export interface Measured<T> {
  readonly result: T;
  /** CPU and RSS of every process involved, over the measured window only (warm-up excluded). */
  readonly processes: ProcessUsage[];
  /** 1-minute load average when the window ended (other work on the machine shows here). */
  readonly loadAverage1m: number;
  /** The measured window on the monotonic clock (µs), to cut CPU profiles to it. */
  readonly windowMicros: readonly [number, number];
}

/**
 * Runs one child (`children/<file>`), sends it `message`, and samples `groups` plus the child itself
 * while it measures. Progress ticks from the child go to the progress display.
 */
export async function measureChild<T>(options: {
  readonly file: string;
  readonly label: string;
  readonly message: Record<string, unknown>;
  readonly groups: readonly ProcessGroup[];
  readonly progress: Progress;
  readonly durationSeconds: number;
  readonly env?: Record<string, string>;
}): Promise<Measured<T>> {
  const child = startChild(options.file, options.env);
  try {
    await child.next('ready', 60_000);
    let sampler: ProcessSampler | null = null;
    let windowStart = monotonicMicros();
    child.onMessage((message) => {
      if (message.type === 'measuring') {
        windowStart = monotonicMicros();
        sampler = new ProcessSampler([...options.groups, singleProcess(options.label, child.pid)]);
        options.progress.measuring(options.durationSeconds);
      } else if (message.type === 'progress') {
        options.progress.tick(message.elapsedSeconds, message.ok);
      }
    });
    const resultPromise = child.next('result');
    child.send({ ...options.message, type: 'run' });
    const { result } = await resultPromise;
    const processes = (sampler as ProcessSampler | null)?.stop() ?? [];
    return {
      result: result as T,
      processes,
      loadAverage1m: loadavg()[0]!,
      windowMicros: [windowStart, monotonicMicros()],
    };
  } finally {
    await child.stop();
  }
}

/**
 * HTTP load in its own process: autocannon (`load.ts`), or clients that honour `Retry-After`
 * (`client-load.ts`, for the write pipeline, where overload answers 503).
 */
export function runLoad(
  spec: Omit<LoadSpec, 'type'>,
  groups: readonly ProcessGroup[],
  progress: Progress,
  file: 'load.ts' | 'client-load.ts' = 'load.ts',
): Promise<Measured<LoadResult>> {
  return measureChild<LoadResult>({
    file,
    label: file === 'load.ts' ? 'autocannon' : 'clients',
    message: { ...spec },
    groups,
    progress,
    durationSeconds: spec.durationSeconds,
  });
}
