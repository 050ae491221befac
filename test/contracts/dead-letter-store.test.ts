import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmqpTransport } from '../../src/platform/messaging/amqp-transport.js';
import { AmqpDeadLetterStore } from '../../src/platform/messaging/dead-letters/amqp-dead-letter-store.js';
import type { DeadLetterStore } from '../../src/platform/messaging/dead-letters/dead-letter-store.js';
import { EmbeddedDeadLetterStore } from '../../src/platform/messaging/dead-letters/embedded-dead-letter-store.js';
import { EmbeddedTransport } from '../../src/platform/messaging/embedded-transport.js';
import type { Delivery } from '../../src/platform/messaging/message.js';
import { Queues, TOPOLOGY } from '../support/contexts.js';
import type { MessageTransport, Subscription } from '../../src/platform/messaging/transport.js';
import { describeContract, type TestBroker } from '../support/contract.js';
import type { TestEngine } from '../support/engines.js';

const logger = pino({ level: 'silent' });

interface Harness {
  readonly transport: MessageTransport;
  readonly store: DeadLetterStore;
  close(): Promise<void>;
}

async function embeddedHarness({ database }: TestEngine): Promise<Harness> {
  const transport = new EmbeddedTransport(database, logger, TOPOLOGY, { pollMs: 20 });
  await transport.start();
  return { transport, store: new EmbeddedDeadLetterStore(database), close: () => transport.close() };
}

async function rabbitmqHarness({ url, prefix }: TestBroker): Promise<Harness> {
  const transport = new AmqpTransport(url, logger, TOPOLOGY, { prefix });
  await transport.start();
  const store = new AmqpDeadLetterStore(url, prefix);
  return {
    transport,
    store,
    close: async () => {
      await store.close();
      await transport.close();
    },
  };
}

/**
 * The DeadLetterStore port behind `portico dlq`, against both adapters: messages a consumer
 * dead-letters are listed with their id, type and reason, and a replay puts exactly the chosen
 * ones back on the work queue, where the consumer gets them again.
 */
describeContract('DeadLetterStore', { pglite: embeddedHarness, rabbitmq: rabbitmqHarness }, (harness) => {
  let subscription: Subscription;
  const seen: Delivery[] = [];
  let reject = true;

  beforeAll(async () => {
    subscription = await harness.transport.consume(
      Queues.userCommands,
      async (delivery) => {
        seen.push(delivery);
        return reject ? { outcome: 'dead-letter', reason: 'PoisonMessageError: not today' } : { outcome: 'ack' };
      },
      { concurrency: 1 },
    );
  }, 60_000);

  afterAll(async () => {
    await subscription?.stop();
  }, 60_000);

  const until = async (check: () => Promise<boolean> | boolean) => {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('lists dead letters and replays the chosen ones', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) {
      await harness.transport.send(Queues.userCommands, {
        messageId: id,
        type: 'users.deactivate_user',
        correlationId: `corr-${id}`,
        timestamp: new Date(),
        headers: { 'aggregate-id': id },
        body: { type: 'users.deactivate_user', userId: id },
      });
    }
    await until(async () => (await harness.store.list(Queues.userCommands, 10)).length === 3);
    const listed = await harness.store.list(Queues.userCommands, 10);
    expect(listed.map((l) => l.messageId).sort()).toEqual([...ids].sort());
    expect(listed.every((l) => l.type === 'users.deactivate_user' && l.since instanceof Date)).toBe(true);
    expect(await harness.store.list(Queues.userCommands, 2)).toHaveLength(2);

    reject = false;
    const missing = randomUUID();
    const first = await harness.store.replay(Queues.userCommands, { ids: [ids[0]!, missing] });
    expect(first).toEqual({ replayed: [ids[0]], missing: [missing] });
    await until(() => seen.filter((d) => d.messageId === ids[0]).length === 2);
    const replayed = seen.filter((d) => d.messageId === ids[0]).at(-1)!;
    expect(replayed).toMatchObject({ correlationId: `corr-${ids[0]}`, type: 'users.deactivate_user' });
    expect(replayed.headers['aggregate-id']).toBe(ids[0]);
    expect((await harness.store.list(Queues.userCommands, 10)).map((l) => l.messageId).sort()).toEqual(
      [ids[1], ids[2]].sort(),
    );

    const rest = await harness.store.replay(Queues.userCommands, { all: true });
    expect([...rest.replayed].sort()).toEqual([ids[1], ids[2]].sort());
    await until(async () => (await harness.store.list(Queues.userCommands, 10)).length === 0);
    await until(() => seen.length === 6);
  }, 30_000);
});

describe('workQueueOf', () => {
  it('accepts a work queue or its DLQ and refuses anything else', () => {
    expect(TOPOLOGY.workQueueOf('users.commands')).toBe('users.commands');
    expect(TOPOLOGY.workQueueOf('users.commands.dlq')).toBe('users.commands');
    expect(TOPOLOGY.workQueueOf('nope')).toBeNull();
  });
});
