import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls until `check` gives a value or the deadline (epoch ms) passes; starts fast (2 ms) so a quick
 * answer is seen quickly, and backs off to 50 ms so a slow one costs few queries. `wait` sleeps a
 * pause; one that can end it early (a notice that something changed) makes the answer come sooner.
 */
export async function poll<T>(
  deadline: number,
  check: () => Promise<T | null>,
  wait: (ms: number) => Promise<unknown> = sleep,
): Promise<T | null> {
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    const value = await check();
    if (value !== null) return value;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    await wait(Math.min(pause, left));
  }
}
