import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import type { Delivery, Message } from '../../src/platform/messaging/message.js';
import { deadLetterQueue } from '../../src/platform/messaging/topology.js';
import { Queues, TOPOLOGY } from '../support/contexts.js';
import type {
  DeliveryHandler,
  Disposition,
  MessageTransport,
  Subscription,
} from '../../src/platform/messaging/transport.js';
import { gate, quietPeriod } from '../support/async.js';

/** What a MessageTransport adapter gives the shared suite. */
export interface MessageTransportHarness {
  /** Started (queues declared). */
  readonly transport: MessageTransport;
  /** Empties every queue of the topology, dead-letter and retry queues included. */
  reset(): Promise<void>;
  /** Runs `work` inside a transaction of the service's database, then rolls that transaction back. */
  inRolledBackTransaction(work: () => Promise<void>): Promise<void>;
  /** Stops the transport and what else the adapter holds; the engine is closed after it. */
  close(): Promise<void>;
}

const ACK: Disposition = { outcome: 'ack' };
/** Generous bound for "eventually": a broker round trip, or a few polls of the embedded queue. */
const WAIT = { timeout: 10_000, interval: 20 } as const;
const COMMANDS = Queues.userCommands;

function message(overrides: Partial<Message> = {}): Message {
  const id = randomUUID();
  return {
    messageId: id,
    type: 'users.create_user',
    correlationId: randomUUID(),
    timestamp: new Date('2026-01-02T03:04:05.678Z'),
    headers: {
      'aggregate-id': randomUUID(),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    },
    body: { type: 'users.create_user', id, nested: { list: [1, 'two', null, true], text: 'Grüße "quoted"' } },
    ...overrides,
  };
}

/** Records every delivery and answers with `decide` (ack by default). */
function recorder(decide: (delivery: Delivery) => Disposition | Promise<Disposition> = () => ACK) {
  const deliveries: Delivery[] = [];
  const handler: DeliveryHandler = async (delivery) => {
    deliveries.push(delivery);
    return decide(delivery);
  };
  return { deliveries, handler };
}

/**
 * A delivery is the message as sent, plus where it came from and how often it was delivered. AMQP
 * carries the timestamp in whole seconds, so that is all the contract asks of it.
 */
function expectDelivered(delivery: Delivery | undefined, sent: Message, queue: string, deliveryCount: number): void {
  const { timestamp, ...rest } = sent;
  expect(delivery).toEqual({ ...rest, queue, deliveryCount, timestamp: expect.any(Date) });
  expect(Math.floor(delivery!.timestamp.getTime() / 1000)).toBe(Math.floor(timestamp.getTime() / 1000));
}

export function messageTransportContract(harness: MessageTransportHarness): void {
  let transport: MessageTransport;
  const subscriptions: Subscription[] = [];
  /** Consumes for the rest of the test; stopped after it, even when it fails. */
  const consume = async (queue: string, handler: DeliveryHandler, concurrency = 1): Promise<Subscription> => {
    const subscription = await transport.consume(queue, handler, { concurrency });
    subscriptions.push(subscription);
    return subscription;
  };

  beforeAll(() => {
    transport = harness.transport;
  });
  beforeEach(async () => {
    await harness.reset();
  });
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
  });

  it('answers ping', async () => {
    await expect(transport.ping()).resolves.toBeUndefined();
  });

  it('delivers a sent message with its id, type, correlation id, timestamp, headers and body', async () => {
    const sent = message();
    const { deliveries, handler } = recorder();

    await transport.send(COMMANDS, sent);
    await consume(COMMANDS, handler);

    await vi.waitFor(() => expect(deliveries).toHaveLength(1), WAIT);
    expectDelivered(deliveries[0], sent, COMMANDS, 1);
  });

  it('sends to the named queue only', async () => {
    await transport.send(COMMANDS, message());

    expect(await transport.depth(COMMANDS)).toBe(1);
    expect(await transport.depth(Queues.userViewsProjection)).toBe(0);
  });

  it('routes a published event by its type to the queues subscribed to it', async () => {
    const event = message({ type: 'users.user.created', body: { type: 'users.user.created', data: { a: 1 } } });
    const { deliveries, handler } = recorder();

    await transport.publish(event);
    await consume(Queues.userViewsProjection, handler);

    await vi.waitFor(() => expect(deliveries).toHaveLength(1), WAIT);
    expectDelivered(deliveries[0], event, Queues.userViewsProjection, 1);
    expect(await transport.depth(COMMANDS)).toBe(0);
  });

  it('fans a published event out to every queue whose binding matches its type, and no other', async () => {
    const types = ['users.user.created', 'users.user.deleted', 'users.user.deactivated'];

    for (const type of types) await transport.publish(message({ type }));

    const depths: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const { queue } of TOPOLOGY.eventQueues) {
      depths[queue] = await transport.depth(queue);
      expected[queue] = types.filter((t) => TOPOLOGY.queuesForEvent(t).includes(queue)).length;
    }
    expect(depths).toEqual(expected);
    // The topology does fan out here, so this proves more than one queue per event.
    expect(Object.values(depths).reduce((a, b) => a + b, 0)).toBeGreaterThan(types.length);
    expect(await transport.depth(COMMANDS)).toBe(0);
  });

  it('hands messages to a single consumer in the order they were sent', async () => {
    const sent = Array.from({ length: 5 }, () => message());
    const { deliveries, handler } = recorder();

    for (const m of sent) await transport.send(COMMANDS, m);
    await consume(COMMANDS, handler, 1);

    await vi.waitFor(() => expect(deliveries).toHaveLength(5), WAIT);
    expect(deliveries.map((d) => d.messageId)).toEqual(sent.map((m) => m.messageId));
  });

  it('counts the messages waiting in a queue, not those handed to a consumer', async () => {
    const hold = gate();
    const { deliveries, handler } = recorder(async () => {
      await hold.opened;
      return ACK;
    });
    for (let i = 0; i < 5; i += 1) await transport.send(COMMANDS, message());
    expect(await transport.depth(COMMANDS)).toBe(5);

    await consume(COMMANDS, handler, 1);
    await vi.waitFor(() => expect(deliveries).toHaveLength(1), WAIT);

    // A broker may prefetch a few beyond the one being handled; those are not waiting either.
    const depth = await transport.depth(COMMANDS);
    expect(depth).toBeGreaterThan(0);
    expect(depth).toBeLessThan(5);
    hold.open();
    await vi.waitFor(() => expect(deliveries).toHaveLength(5), WAIT);
    await vi.waitFor(async () => expect(await transport.depth(COMMANDS)).toBe(0), WAIT);
  });

  it('ack removes the message for good', async () => {
    const { deliveries, handler } = recorder();
    await transport.send(COMMANDS, message());
    const first = await consume(COMMANDS, handler);
    await vi.waitFor(() => expect(deliveries).toHaveLength(1), WAIT);
    await first.stop();

    await consume(COMMANDS, handler);
    await quietPeriod();

    expect(deliveries).toHaveLength(1);
    expect(await transport.depth(COMMANDS)).toBe(0);
  });

  it('retry redelivers the same message after the delay, with the delivery count raised', async () => {
    const delayMs = 400;
    const seenAt: number[] = [];
    const { deliveries, handler } = recorder((d) => {
      seenAt.push(Date.now());
      return d.deliveryCount === 1 ? { outcome: 'retry', delayMs, reason: 'transient' } : ACK;
    });
    const sent = message();

    await transport.send(COMMANDS, sent);
    await consume(COMMANDS, handler);

    await vi.waitFor(() => expect(deliveries).toHaveLength(2), WAIT);
    expect(seenAt[1]! - seenAt[0]!).toBeGreaterThanOrEqual(delayMs - 25);
    const { headers, timestamp: _timestamp, ...rest } = sent;
    // A transport may add its own bookkeeping headers (retry-count) to a redelivery.
    expect(deliveries[1]).toMatchObject({ ...rest, queue: COMMANDS, deliveryCount: 2, headers });
    await quietPeriod();
    expect(deliveries).toHaveLength(2);
  });

  it('keeps a message whose handler threw, and delivers it again later', async () => {
    const sent = message();
    const { deliveries, handler } = recorder((d) => {
      if (d.deliveryCount === 1) throw new Error('handler bug');
      return ACK;
    });

    await transport.send(COMMANDS, sent);
    await consume(COMMANDS, handler);

    await vi.waitFor(() => expect(deliveries).toHaveLength(2), { ...WAIT, timeout: 15_000 });
    expect(deliveries[1]).toMatchObject({ messageId: sent.messageId, body: sent.body, deliveryCount: 2 });
  }, 20_000);

  it('dead-letter moves the message to <queue>.dlq, intact', async () => {
    const sent = message();
    const { deliveries, handler } = recorder(() => ({ outcome: 'dead-letter', reason: 'poison' }));
    const dlq = deadLetterQueue(COMMANDS);

    await transport.send(COMMANDS, sent);
    await consume(COMMANDS, handler);

    await vi.waitFor(async () => expect(await transport.depth(dlq)).toBe(1), WAIT);
    expect(await transport.depth(COMMANDS)).toBe(0);
    expect(deliveries).toHaveLength(1);

    const dead = recorder();
    await consume(dlq, dead.handler);
    await vi.waitFor(() => expect(dead.deliveries).toHaveLength(1), WAIT);
    expect(dead.deliveries[0]).toMatchObject({
      queue: dlq,
      messageId: sent.messageId,
      type: sent.type,
      correlationId: sent.correlationId,
      body: sent.body,
    });
  });

  it('never runs more handlers at once than the concurrency allows', async () => {
    const release = gate();
    let active = 0;
    let peak = 0;
    const { deliveries, handler } = recorder(async () => {
      active += 1;
      peak = Math.max(peak, active);
      await release.opened;
      active -= 1;
      return ACK;
    });
    for (let i = 0; i < 6; i += 1) await transport.send(COMMANDS, message());

    await consume(COMMANDS, handler, 2);
    await vi.waitFor(() => expect(active).toBe(2), WAIT);
    await quietPeriod();

    expect(deliveries).toHaveLength(2);
    release.open();
    await vi.waitFor(() => expect(deliveries).toHaveLength(6), WAIT);
    expect(peak).toBe(2);
  });

  it('stop() waits for the handler in flight, settles it, and hands nothing more to the handler', async () => {
    const release = gate();
    let finished = false;
    const { deliveries, handler } = recorder(async () => {
      await release.opened;
      finished = true;
      return ACK;
    });
    const sent = [message(), message(), message()];
    for (const m of sent) await transport.send(COMMANDS, m);
    const subscription = await consume(COMMANDS, handler, 1);
    await vi.waitFor(() => expect(deliveries).toHaveLength(1), WAIT);

    let stopped = false;
    const stopping = subscription.stop().then(() => {
      stopped = true;
    });
    await quietPeriod(200);
    expect(stopped).toBe(false);

    release.open();
    await stopping;
    expect(finished).toBe(true);
    // The one in flight was acked; the others (even if a broker had prefetched them) wait for the next consumer.
    expect(deliveries.map((d) => d.messageId)).toEqual([sent[0]!.messageId]);
    await vi.waitFor(async () => expect(await transport.depth(COMMANDS)).toBe(2), WAIT);

    await transport.send(COMMANDS, message());
    await quietPeriod();
    expect(deliveries).toHaveLength(1);
    expect(await transport.depth(COMMANDS)).toBe(3);
  });

  it('honours its `transactional` flag: a send in a rolled-back transaction is dropped exactly when it is set', async () => {
    const rolledBack = message();
    const committed = message();
    const { deliveries, handler } = recorder();
    // Transactional: the message rolls back with the rows. Not (a broker): it is out already,
    // and the command gateway must compensate, which it can only do if the flag tells the truth.
    const expected = transport.transactional ? [committed] : [rolledBack, committed];

    await harness.inRolledBackTransaction(() => transport.send(COMMANDS, rolledBack));
    await transport.send(COMMANDS, committed);
    await consume(COMMANDS, handler);

    await vi.waitFor(() => expect(deliveries).toHaveLength(expected.length), WAIT);
    await quietPeriod();
    expect(deliveries.map((d) => d.messageId)).toEqual(expected.map((m) => m.messageId));
    expect(await transport.depth(COMMANDS)).toBe(0);
  });
}
