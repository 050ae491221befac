import { poll, QUICK_BACKOFF, type Backoff } from '../system/poll.js';

/** The channel the database announces progress on (migration 0012): `command:<id>`, `view:<id>`. */
export const PROGRESS_CHANNEL = 'portico_progress';

export const commandFinished = (commandId: string) => `command:${commandId}`;
export const viewChanged = (resourceId: string) => `view:${resourceId}`;

/**
 * While notices come, a wait looks again when one says so; its own pauses are only the fallback
 * for one that is lost, so they can be long (each costs a query).
 */
const NOTIFIED_BACKOFF: Backoff = { firstMs: 50, maxMs: 250 };

/** Notices for one key from the moment it was made: one that comes while the caller looks is kept. */
export interface NoticeWatch {
  /** Resolves at once if a notice came since the last pause, else at the next one or after `ms`. */
  pause(ms: number): Promise<void>;
  close(): void;
}

/**
 * Wakes the requests that wait with `Prefer: wait` when the database says their command finished or
 * their view row changed, so they look again at once instead of at the end of a back-off pause.
 * A notice only wakes: the waiter still reads what it waits for, so a notice lost or early costs
 * nothing but the pause it would have slept anyway.
 */
export class ProgressNotices {
  private readonly watching = new Map<string, Set<() => void>>();
  private announced = false;

  constructor(private readonly notifiedBackoff: Backoff = NOTIFIED_BACKOFF) {}

  /** A listener hears the database's notices (PostgreSQL): waits may then pause longer between looks. */
  markAnnounced(): void {
    this.announced = true;
  }

  /** Looks with `check` until it gives a value or the deadline passes, again at each notice for `key`. */
  async waitFor<T>(key: string, deadline: number, check: () => Promise<T | null>): Promise<T | null> {
    const watch = this.watch(key);
    try {
      return await poll(
        deadline,
        check,
        (ms) => watch.pause(ms),
        this.announced ? this.notifiedBackoff : QUICK_BACKOFF,
      );
    } finally {
      watch.close();
    }
  }

  /** Notices for `key` from now until `close()`: what `waitFor` pauses on. */
  watch(key: string): NoticeWatch {
    let noticed = false;
    let wake: (() => void) | null = null;
    const onNotice = () => {
      noticed = true;
      wake?.();
    };
    const watchers = this.watching.get(key) ?? new Set<() => void>();
    this.watching.set(key, watchers);
    watchers.add(onNotice);
    return {
      pause: (ms) => {
        if (noticed) {
          noticed = false;
          return Promise.resolve();
        }
        return new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            wake = null;
            noticed = false;
            resolve();
          };
          const timer = setTimeout(done, ms);
          wake = done;
        });
      },
      close: () => {
        watchers.delete(onNotice);
        if (watchers.size === 0 && this.watching.get(key) === watchers) this.watching.delete(key);
      },
    };
  }

  /** A payload from the channel; undefined (a listener that reconnected, having missed some) wakes everyone. */
  notify(key: string | undefined): void {
    const sets = key === undefined ? [...this.watching.values()] : [this.watching.get(key) ?? []];
    for (const watchers of sets) for (const onNotice of [...watchers]) onNotice();
  }

  /** Requests waiting right now (for tests). */
  get waiters(): number {
    let count = 0;
    for (const watchers of this.watching.values()) count += watchers.size;
    return count;
  }
}
