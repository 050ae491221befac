import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls until `check` gives a value or the deadline (epoch ms) passes; starts fast (2 ms) so a quick
 * answer is seen quickly, and backs off to 50 ms so a slow one costs few queries.
 */
export async function poll<T>(deadline: number, check: () => Promise<T | null>): Promise<T | null> {
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    const value = await check();
    if (value !== null) return value;
    const left = deadline - Date.now();
    if (left <= 0) return null;
    await sleep(Math.min(pause, left));
  }
}
