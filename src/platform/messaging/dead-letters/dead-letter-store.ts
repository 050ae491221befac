/** A message parked in a queue's dead-letter queue, as an operator sees it. */
export interface DeadLetter {
  readonly messageId: string;
  readonly type: string;
  /** Times it was delivered before it was dead-lettered, when the transport knows. */
  readonly deliveries: number | null;
  /** Why it was dead-lettered: the last error, or the broker's reason. */
  readonly error: string | null;
  /** When it was dead-lettered (or, failing that, created). */
  readonly since: Date | null;
}

export type ReplaySelection = { readonly all: true } | { readonly ids: readonly string[] };

export interface ReplayResult {
  /** Ids moved back to the work queue. */
  readonly replayed: readonly string[];
  /** Requested ids that were not in the dead-letter queue. */
  readonly missing: readonly string[];
}

/**
 * Port: inspects and replays a work queue's dead-letter queue (`<queue>.dlq`). One adapter per
 * transport; the CLI does not know which it talks to.
 */
export interface DeadLetterStore {
  list(queue: string, limit: number): Promise<DeadLetter[]>;
  /** Moves the selected messages back to `queue`, each durably before it leaves the DLQ. */
  replay(queue: string, selection: ReplaySelection): Promise<ReplayResult>;
  close(): Promise<void>;
}

export function isSelected(selection: ReplaySelection, messageId: string): boolean {
  return 'all' in selection || selection.ids.includes(messageId);
}
