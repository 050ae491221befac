import { AggregateRoot } from './aggregate-root.js';

/** What a repository stores and restores: every field of an aggregate, and its version. */
export interface AggregateSnapshot {
  readonly id: string;
  readonly version: number;
}

/**
 * An aggregate whose state is one plain record, replaced on every change rather than mutated: it is
 * built from its snapshot and gives one back. Lists are copied both ways, so a caller that changes
 * the snapshot it gave or got never changes the aggregate.
 */
export abstract class SnapshotAggregate<S extends AggregateSnapshot> extends AggregateRoot {
  protected state: Omit<S, 'version'>;

  protected constructor(snapshot: S) {
    const { version, ...state } = copyLists(snapshot);
    super(snapshot.id, version);
    this.state = state;
  }

  snapshot(): S {
    return copyLists({ ...this.state, version: this.version } as S);
  }
}

function copyLists<T extends object>(record: T): T {
  return Object.fromEntries(
    Object.entries(record).map(([name, value]) => [name, Array.isArray(value) ? [...value] : value]),
  ) as T;
}
