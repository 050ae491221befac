import amqp from 'amqplib';
import { exchangeNames, queueNames } from '../../src/platform/messaging/amqp-topology.js';
import { TOPOLOGY } from './contexts.js';

export const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

let available: Promise<boolean> | null = null;

/** Whether the test RabbitMQ answers; with CI=true it is required, never skipped. */
export function rabbitmqAvailable(): Promise<boolean> {
  available ??= (async () => {
    try {
      const connection = await amqp.connect(AMQP_URL);
      await connection.close();
      return true;
    } catch (error) {
      if (process.env.CI === 'true') throw new Error(`CI=true requires RabbitMQ at ${AMQP_URL}`, { cause: error });
      return false;
    }
  })();
  return available;
}

/** A name prefix of its own per test run, so suites share the broker without sharing queues. */
export function uniquePrefix(): string {
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.`;
}

/** Deletes every queue and exchange declared under `prefix`. */
export async function deleteTopology(prefix: string): Promise<void> {
  const connection = await amqp.connect(AMQP_URL);
  try {
    const channel = await connection.createChannel();
    for (const queue of queueNames(TOPOLOGY, prefix)) await channel.deleteQueue(queue);
    for (const exchange of Object.values(exchangeNames(prefix))) await channel.deleteExchange(exchange);
  } finally {
    await connection.close();
  }
}
