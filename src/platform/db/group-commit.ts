import { AsyncResource } from 'node:async_hooks';
import type { Database } from './database.js';

interface Unit {
  readonly work: () => Promise<unknown>;
  /** Runs a function in the async context `run` was called in (its logging and trace context). */
  readonly enter: <R>(fn: () => R) => R;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: units of work that arrive while a transaction runs wait, then share the next one,
 * run one after another in arrival order. A consumer that works one message at a time pays a
 * BEGIN, a COMMIT and the waits between them for each; here it pays them once a batch. Each unit
 * must be one that could have run alone in `database.transaction` (its own `transaction` calls
 * join the shared one). If any unit throws, or the commit fails, the batch rolls back and each
 * unit runs again in a transaction of its own, so one unit's failure is only its own.
 */
export class GroupCommit {
  private readonly queue: Unit[] = [];
  private running = false;

  constructor(
    private readonly database: Database,
    private readonly maxBatch: number,
  ) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const enter = AsyncResource.bind(<R>(fn: () => R): R => fn());
      this.queue.push({ work, enter, resolve: resolve as (value: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.maxBatch));
    } finally {
      this.running = false;
    }
  }

  private async commit(batch: readonly Unit[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const results = await this.database.detached(() =>
          this.database.transaction(async (tx) => {
            const values: unknown[] = [];
            for (const unit of batch) values.push(await unit.enter(() => this.database.within(tx, unit.work)));
            return values;
          }),
        );
        batch.forEach((unit, i) => unit.resolve(results[i]));
        return;
      } catch {
        // Which unit failed, and whether the others would have, is known only by running them apart.
      }
    }
    for (const unit of batch) {
      await unit.enter(() => this.database.transaction(unit.work)).then(unit.resolve, unit.reject);
    }
  }
}

/**
 * A few group commits side by side, a key always in the same one: work on one aggregate keeps its
 * order (and never races itself), work on others commits in parallel transactions.
 */
export class GroupCommitLanes {
  private readonly lanes: GroupCommit[];

  constructor(database: Database, lanes: number, maxBatch: number) {
    this.lanes = Array.from({ length: lanes }, () => new GroupCommit(database, maxBatch));
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let hash = 0;
    for (let i = 0; i < key.length; i += 1) hash = (hash * 31 + key.charCodeAt(i)) | 0;
    return this.lanes[Math.abs(hash) % this.lanes.length]!.run(work);
  }
}
