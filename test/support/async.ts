import { setTimeout as sleep } from 'node:timers/promises';

/** A promise to resolve from outside: holds a handler (or a transaction) open until a test says so. */
export interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/**
 * Long enough for a consumer or relay to have acted if it were going to: how a test proves that
 * something did NOT happen (several of the embedded transport's poll intervals).
 */
export const QUIET_PERIOD_MS = 600;

export function quietPeriod(ms = QUIET_PERIOD_MS): Promise<void> {
  return sleep(ms).then(() => undefined);
}

/** Polls until `find` returns something, and answers it; fails the test after `timeoutMs`. */
export async function eventually<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing found within ${timeoutMs} ms`);
    await sleep(20);
  }
}
