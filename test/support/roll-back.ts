import type { Database } from '../../src/platform/db/database.js';

/** Thrown inside a transaction so that it rolls back; any other error is the test's failure. */
export class RollBack extends Error {
  constructor() {
    super('rolled back on purpose by the test');
    this.name = 'RollBack';
  }
}

/** Runs `work` in a transaction of `database`, then rolls it back; an error from `work` still fails. */
export async function inRolledBackTransaction(database: Database, work: () => Promise<unknown>): Promise<void> {
  const outcome = await database
    .transaction(async () => {
      await work();
      throw new RollBack();
    })
    .then(
      () => new Error('the transaction committed instead of rolling back'),
      (error: unknown) => error,
    );
  if (!(outcome instanceof RollBack)) throw outcome;
}
