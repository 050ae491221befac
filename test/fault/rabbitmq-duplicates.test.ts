import amqp from 'amqplib';
import { describe, expect, it } from 'vitest';
import { sleep } from './http-client.js';
import { Cluster } from './rabbitmq/cluster.js';
import { expectExactlyOnce, startLoad, workerLines } from './rabbitmq/harness.js';
import { machineServicesUp, useIsolatedServices } from './rabbitmq/services.js';

const up = await machineServicesUp();

/**
 * Case 5 of issue 3: the same message delivered twice, and two concurrent POSTs with one
 * Idempotency-Key. Tap queues bound next to the real ones copy every command and event the
 * service sends; the test publishes those copies again, byte for byte, to the work queues.
 */
describe.skipIf(!up)('RabbitMQ fault: duplicate deliveries and concurrent idempotent requests', () => {
  const services = useIsolatedServices();

  it('gives every command and event one effect', async () => {
    const { databaseUrl, amqpUrl } = services();
    const cluster = await Cluster.start({ databaseUrl, amqpUrl, workers: 2 });
    const connection = await amqp.connect(amqpUrl);
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue('tap.commands', { durable: false });
    await channel.bindQueue('tap.commands', 'portico.commands', 'users.commands');
    await channel.assertQueue('tap.events', { durable: false });
    await channel.bindQueue('tap.events', 'portico.events', 'users.user.#');

    const running = await startLoad(cluster, services(), 10);
    await sleep(3_000);

    // Two concurrent POSTs per key: one command each, both answers naming it.
    const pairs = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const key = `dup-${Date.now()}-${i}`;
        const first = running.load.send('create', { 'idempotency-key': key });
        const [a, b] = await Promise.all([
          first,
          running.load.send('create', { 'idempotency-key': key }, running.load.ledger.at(-1)),
        ]);
        return { a, b };
      }),
    );
    // The ledger holds each of those commands once (the second answer repeats the first).
    for (const { b } of pairs) running.load.ledger.splice(running.load.ledger.indexOf(b), 1);

    // Deliver copies of everything sent so far a second time.
    const again = { commands: await republish(channel, 'tap.commands', 'users.commands'), events: 0 };
    await sleep(2_000);
    again.events = await republish(channel, 'tap.events', 'read-model.user-views');
    await sleep(3_000);
    await connection.close();

    const report = await running.finish('5 duplicates');
    const answers = pairs.map(({ a, b }) => [a.status, b.status].join('/'));
    console.log(
      `[5 duplicates] commands delivered twice: ${again.commands}, events delivered twice: ${again.events}; ` +
        `idempotent pairs answered ${answers.join(' ')}; worker inbox absorbed ${workerLines(cluster, (l) => l.includes('"outcome":"duplicate"'))}`,
    );
    expect(again.commands).toBeGreaterThan(20);
    expect(again.events).toBeGreaterThan(20);
    for (const { a, b } of pairs) {
      expect(a.status).toBe(202);
      // The repeat gets the stored answer (or is told the first is still running) but never a second command.
      if (b.status === 202) expect(b.commandId).toBe(a.commandId);
      else expect(b.status).toBe(409);
    }
    expectExactlyOnce(report);
    await cluster.stop();
  }, 180_000);
});

/** Takes every message from a tap queue and publishes an exact copy straight to `queue`. */
async function republish(channel: amqp.ConfirmChannel, tap: string, queue: string): Promise<number> {
  let count = 0;
  for (;;) {
    const message = await channel.get(tap, { noAck: true });
    if (!message) break;
    channel.sendToQueue(queue, message.content, message.properties);
    count += 1;
  }
  await channel.waitForConfirms();
  return count;
}
