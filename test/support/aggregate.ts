import { expect } from 'vitest';
import type { AggregateRoot } from '../../src/shared/domain/aggregate-root.js';

/**
 * What every aggregate owes its repository: restoring a stored snapshot gives back that state, at
 * that version (also the version the save will check), with no events to publish; and a snapshot
 * it hands out is a copy, so changing one (its lists too) does not change the aggregate.
 */
export function expectRestoresAsStored<S extends { readonly version: number }>(
  stored: S,
  restore: (snapshot: S) => AggregateRoot & { snapshot(): S },
): void {
  const aggregate = restore(stored);
  expect(aggregate.version).toBe(stored.version);
  expect(aggregate.persistedVersion).toBe(stored.version);
  expect(aggregate.pullEvents()).toEqual([]);
  expect(aggregate.snapshot()).toEqual(stored);
  for (const value of Object.values(aggregate.snapshot())) if (Array.isArray(value)) value.push('tampered');
  expect(aggregate.snapshot()).toEqual(stored);
}
