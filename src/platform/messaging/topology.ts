/**
 * The routing both transports implement (DESIGN.md §5), derived from what the contexts declare:
 * each context with commands gets one work queue, `<context>.commands`; each event consumer gets
 * its own queue bound to the event types it names, so it keeps its own position and DLQ.
 */
export interface CommandRoute {
  readonly queue: string;
  readonly commandTypes: readonly string[];
}

export interface EventQueue {
  readonly queue: string;
  /** Topic patterns (`*` one word, `#` zero or more): which event types this queue receives. */
  readonly bindings: readonly string[];
}

export interface TopologyDeclaration {
  readonly commands: readonly CommandRoute[];
  readonly events: readonly EventQueue[];
}

export const deadLetterQueue = (queue: string): string => `${queue}.dlq`;

export class Topology {
  private readonly commandQueue = new Map<string, string>();

  constructor(readonly declaration: TopologyDeclaration) {
    for (const route of declaration.commands) {
      for (const type of route.commandTypes) {
        if (this.commandQueue.has(type)) throw new Error(`command ${type} is routed twice`);
        this.commandQueue.set(type, route.queue);
      }
    }
    const queues = this.workQueues;
    const repeated = queues.find((queue, i) => queues.indexOf(queue) !== i);
    if (repeated) throw new Error(`queue ${repeated} is declared twice`);
  }

  get commandQueues(): readonly string[] {
    return this.declaration.commands.map((route) => route.queue);
  }

  get eventQueues(): readonly EventQueue[] {
    return this.declaration.events;
  }

  /** Every queue that has a dead-letter queue. */
  get workQueues(): readonly string[] {
    return [...this.commandQueues, ...this.declaration.events.map((e) => e.queue)];
  }

  queueForCommand(commandType: string): string {
    const queue = this.commandQueue.get(commandType);
    if (!queue) throw new Error(`no context declares the command ${commandType}`);
    return queue;
  }

  queuesForEvent(eventType: string): string[] {
    return this.declaration.events
      .filter((e) => e.bindings.some((pattern) => topicMatches(pattern, eventType)))
      .map((e) => e.queue);
  }

  bindingsOf(queue: string): readonly string[] {
    return this.declaration.events.find((e) => e.queue === queue)?.bindings ?? [];
  }

  /** Accepts `users.commands` or `users.commands.dlq`; returns the work queue, or null if unknown. */
  workQueueOf(name: string): string | null {
    return this.workQueues.find((queue) => queue === name || deadLetterQueue(queue) === name) ?? null;
  }
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
