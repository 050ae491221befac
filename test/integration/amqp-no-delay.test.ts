import net from 'node:net';
import pino from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AmqpTransport } from '../../src/platform/messaging/amqp-transport.js';
import { TOPOLOGY } from '../support/contexts.js';
import { AMQP_URL, deleteTopology, rabbitmqAvailable, uniquePrefix } from '../support/rabbitmq.js';

const brokerUp = await rabbitmqAvailable();
const prefix = uniquePrefix();

/**
 * A publish is three small frames; with Nagle's algorithm the later ones wait for the broker's
 * delayed ACK of the first, and an isolated publisher confirm took ~40 ms instead of ~2 (a sign-up
 * waits for two of them). The transport's socket must send at once.
 */
describe.skipIf(!brokerUp)('the RabbitMQ transport turns Nagle off [RabbitMQ]', () => {
  afterAll(() => deleteTopology(prefix));

  it('connects with TCP_NODELAY', async () => {
    const setNoDelay = vi.spyOn(net.Socket.prototype, 'setNoDelay');
    const transport = new AmqpTransport(AMQP_URL, pino({ level: 'silent' }), TOPOLOGY, { prefix });
    try {
      await transport.start();
      await transport.ping();
      expect(setNoDelay.mock.calls.map(([on]) => on)).toContain(true);
      expect(setNoDelay.mock.calls.map(([on]) => on)).not.toContain(false);
    } finally {
      setNoDelay.mockRestore();
      await transport.close();
    }
  });
});
