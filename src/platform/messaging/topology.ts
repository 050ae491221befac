/**
 * The routing both transports implement (DESIGN.md §5). Commands go to one work queue; events fan
 * out by type to one queue per subscriber, so each subscriber keeps its own position and DLQ.
 */
export const Queues = {
  userCommands: 'users.commands',
  userViewsProjection: 'read-model.user-views',
  authUserEvents: 'auth.user-events',
} as const;

export type QueueName = (typeof Queues)[keyof typeof Queues];

export const deadLetterQueue = (queue: string): string => `${queue}.dlq`;

/** Commands are routed by their context: `users.create_user` → `users.commands`. */
export function queueForCommand(commandType: string): string {
  const context = commandType.split('.')[0];
  if (context === 'users') return Queues.userCommands;
  throw new Error(`no command queue for ${commandType}`);
}

/** Topic bindings: which event types each subscriber queue receives (`#` = all). */
export const EventSubscriptions: Readonly<Record<string, readonly string[]>> = {
  [Queues.userViewsProjection]: ['users.user.#'],
  [Queues.authUserEvents]: ['users.user.deactivated', 'users.user.deleted'],
};

export function queuesForEvent(eventType: string): string[] {
  return Object.entries(EventSubscriptions)
    .filter(([, patterns]) => patterns.some((p) => topicMatches(p, eventType)))
    .map(([queue]) => queue);
}

/** AMQP topic semantics: `*` matches one word, `#` zero or more. */
export function topicMatches(pattern: string, key: string): boolean {
  const p = pattern.split('.');
  const k = key.split('.');
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === k.length;
    if (p[i] === '#') return match(i + 1, j) || (j < k.length && match(i, j + 1));
    if (j === k.length) return false;
    return (p[i] === '*' || p[i] === k[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}

/** Delayed retry tiers for transient failures, then the dead-letter queue. */
export const RETRY_DELAYS_MS = [5_000, 30_000, 300_000] as const;
