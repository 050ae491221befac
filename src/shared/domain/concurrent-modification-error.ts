/**
 * Another writer saved the aggregate first: the work lost a race, and running it again on the
 * fresh state is the answer. Repositories throw it; the worker retries the command at once.
 */
export class ConcurrentModificationError extends Error {
  constructor(id: string, expectedVersion: number) {
    super(`${id} was modified concurrently (expected stored version ${expectedVersion})`);
    this.name = 'ConcurrentModificationError';
  }
}
