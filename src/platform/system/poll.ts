import { setTimeout as sleep } from 'node:timers/promises';

/** The pauses of a poll: the first, doubling up to the longest. */
export interface Backoff {
  readonly firstMs: number;
  readonly maxMs: number;
}

/** Starts fast so a quick answer is seen quickly, and backs off so a slow one costs few queries. */
export const QUICK_BACKOFF: Backoff = { firstMs: 2, maxMs: 50 };

/**
 * Polls until `check` gives a value or the deadline (epoch ms) passes. `wait` sleeps a pause; one
 * that can end it early (a notice that something changed) makes the answer come sooner.
 */
export async function poll<T>(
  deadline: number,
  check: () => Promise<T | null>,
  wait: (ms: number) => Promise<unknown> = sleep,
  backoff: Backoff = QUICK_BACKOFF,
): Promise<T | null> {
  for (let pause = backoff.firstMs; ; pause = Math.min(pause * 2, backoff.maxMs)) {
    const value = await check();
    if (value !== null) return value;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    await wait(Math.min(pause, left));
  }
}
