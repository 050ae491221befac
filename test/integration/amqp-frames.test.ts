import { randomUUID } from 'node:crypto';
import net from 'node:net';
import amqp from 'amqplib';
import pino from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeFramesTogether } from '../../src/platform/messaging/amqp-frames.js';
import { AmqpTransport } from '../../src/platform/messaging/amqp-transport.js';
import type { Message } from '../../src/platform/messaging/message.js';
import { Queues, TOPOLOGY } from '../support/contexts.js';
import { AMQP_URL, deleteTopology, rabbitmqAvailable, uniquePrefix } from '../support/rabbitmq.js';

const brokerUp = await rabbitmqAvailable();
const prefix = uniquePrefix();

const command = (): Message => {
  const id = randomUUID();
  return {
    messageId: id,
    type: 'users.create_user',
    correlationId: randomUUID(),
    timestamp: new Date(),
    headers: { 'aggregate-id': randomUUID() },
    body: { type: 'users.create_user', id },
  };
};

/** The socket writes (system calls: `_write` one buffer, `_writev` several) made while `work` runs. */
async function socketWrites(work: () => Promise<unknown>): Promise<number> {
  const write = vi.spyOn(net.Socket.prototype, '_write');
  const writev = vi.spyOn(net.Socket.prototype, '_writev');
  try {
    await work();
    return write.mock.calls.length + writev.mock.calls.length;
  } finally {
    write.mockRestore();
    writev.mockRestore();
  }
}

describe.skipIf(!brokerUp)('the RabbitMQ transport writes queued frames together [RabbitMQ]', () => {
  afterAll(() => deleteTopology(prefix));

  it('reaches the amqplib internals it relies on', async () => {
    const model = await amqp.connect(AMQP_URL);
    try {
      expect(writeFramesTogether(model)).toBe(true);
    } finally {
      await model.close();
    }
  });

  it('sends 40 commands published at once in a few socket writes, not one or more each', async () => {
    const transport = new AmqpTransport(AMQP_URL, pino({ level: 'silent' }), TOPOLOGY, { prefix });
    try {
      await transport.start();
      await transport.ping();
      const writes = await socketWrites(() =>
        Promise.all(Array.from({ length: 40 }, () => transport.send(Queues.userCommands, command()))),
      );
      // Without the cork: at least 40 (a frame set per publish); with it, the burst and its confirms' waits.
      expect(writes).toBeLessThan(10);
    } finally {
      await transport.close();
    }
  });
});
