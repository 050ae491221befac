/** The channel the database announces progress on (migration 0012): `command:<id>`, `view:<id>`. */
export const PROGRESS_CHANNEL = 'portico_progress';

export const commandFinished = (commandId: string) => `command:${commandId}`;
export const viewChanged = (resourceId: string) => `view:${resourceId}`;

/**
 * Wakes the requests that wait with `Prefer: wait` when the database says their command finished or
 * their view row changed, so they look again at once instead of at the end of a back-off pause.
 * A notice only wakes: the waiter still reads what it waits for, so a notice lost or early costs
 * nothing but the pause it would have slept anyway.
 */
export class ProgressNotices {
  private readonly waiting = new Map<string, Set<() => void>>();

  /** Resolves at the next notice for `key`, or after `ms`, whichever comes first. */
  pause(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.waiting.get(key) ?? new Set<() => void>();
      this.waiting.set(key, waiters);
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0 && this.waiting.get(key) === waiters) this.waiting.delete(key);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waiters.add(wake);
    });
  }

  /** A payload from the channel; undefined (a listener that reconnected, having missed some) wakes everyone. */
  notify(key: string | undefined): void {
    if (key === undefined) {
      for (const waiters of [...this.waiting.values()]) for (const wake of [...waiters]) wake();
      return;
    }
    for (const wake of [...(this.waiting.get(key) ?? [])]) wake();
  }

  /** Requests waiting right now (for tests). */
  get waiters(): number {
    let count = 0;
    for (const waiters of this.waiting.values()) count += waiters.size;
    return count;
  }
}
