import type { Channel } from 'amqplib';
import { deadLetterQueue, type Topology } from './topology.js';

/** Retry tiers: a message waits in `<queue>.retry.<tier>` (per-queue TTL) and dead-letters back. */
export const AMQP_RETRY_TIERS_MS = [1_000, 5_000, 30_000, 300_000] as const;

export const tierName = (ms: number): string => (ms >= 60_000 ? `${ms / 60_000}m` : `${ms / 1_000}s`);

/** Names of the exchanges, with an optional prefix so tests can share one broker. */
export function exchangeNames(prefix: string) {
  return {
    commands: `${prefix}portico.commands`,
    events: `${prefix}portico.events`,
    deadLetters: `${prefix}portico.dlx`,
  };
}

/** Every queue the topology declares (prefixed), e.g. for tests to delete afterwards. */
export function queueNames(topology: Topology, prefix: string): string[] {
  return topology.workQueues.flatMap((queue) => [
    `${prefix}${queue}`,
    `${prefix}${deadLetterQueue(queue)}`,
    ...AMQP_RETRY_TIERS_MS.map((ms) => `${prefix}${queue}.retry.${tierName(ms)}`),
  ]);
}

export interface AmqpTopologyOptions {
  readonly prefix: string;
  /** Deliveries (including redeliveries after a crash) before the broker dead-letters a message. */
  readonly deliveryLimit: number;
}

/**
 * Declares DESIGN.md §5 on the broker. Every declaration is idempotent, so each process runs this
 * at start and after every reconnect. Quorum queues are replicated and count deliveries, so a
 * message that crashes its consumer every time ends in the DLQ instead of looping.
 */
export async function declareTopology(
  channel: Channel,
  topology: Topology,
  options: AmqpTopologyOptions,
): Promise<void> {
  const { prefix } = options;
  const x = exchangeNames(prefix);
  await channel.assertExchange(x.commands, 'direct', { durable: true });
  await channel.assertExchange(x.events, 'topic', { durable: true });
  await channel.assertExchange(x.deadLetters, 'direct', { durable: true });

  const declareWorkQueue = async (queue: string, extra: Record<string, unknown> = {}) => {
    const name = `${prefix}${queue}`;
    const dlq = `${prefix}${deadLetterQueue(queue)}`;
    await channel.assertQueue(dlq, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(dlq, x.deadLetters, dlq);
    await channel.assertQueue(name, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-delivery-limit': options.deliveryLimit,
        'x-dead-letter-exchange': x.deadLetters,
        'x-dead-letter-routing-key': dlq,
        ...extra,
      },
    });
    for (const ms of AMQP_RETRY_TIERS_MS) {
      await channel.assertQueue(`${name}.retry.${tierName(ms)}`, {
        durable: true,
        arguments: {
          'x-queue-type': 'quorum',
          'x-message-ttl': ms,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': name,
        },
      });
    }
    return name;
  };

  for (const queue of topology.commandQueues) {
    const commands = await declareWorkQueue(queue);
    await channel.bindQueue(commands, x.commands, commands);
  }
  for (const { queue, bindings } of topology.eventQueues) {
    // One active consumer per event queue keeps per-aggregate order; others stand by.
    const name = await declareWorkQueue(queue, { 'x-single-active-consumer': true });
    for (const pattern of bindings) await channel.bindQueue(name, x.events, pattern);
  }
}
