import amqp from 'amqplib';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { Database } from '../../src/platform/db/database.js';
import { AmqpTransport } from '../../src/platform/messaging/amqp-transport.js';
import { queueNames } from '../../src/platform/messaging/amqp-topology.js';
import { EmbeddedTransport } from '../../src/platform/messaging/embedded-transport.js';
import { TOPOLOGY } from '../support/contexts.js';
import { describeContract, type TestBroker } from '../support/contract.js';
import type { TestEngine } from '../support/engines.js';
import { inRolledBackTransaction } from '../support/roll-back.js';
import { messageTransportContract, type MessageTransportHarness } from './message-transport.contract.js';

const logger = pino({ level: 'silent' });

async function embeddedHarness({ kind, database }: TestEngine): Promise<MessageTransportHarness> {
  const transport = new EmbeddedTransport(database, logger, TOPOLOGY, { releaseLeasesOnStart: kind === 'pglite' });
  await transport.start();
  return {
    transport,
    reset: async () => {
      await database.query(sql`delete from messaging.queue_messages`);
    },
    inRolledBackTransaction: (work) => inRolledBackTransaction(database, work),
    close: () => transport.close(),
  };
}

/** On the suite's own topology on the broker; PGlite stands in for the service's database. */
async function rabbitmqHarness({ url, prefix }: TestBroker): Promise<MessageTransportHarness> {
  const transport = new AmqpTransport(url, logger, TOPOLOGY, { prefix });
  await transport.start();
  const database = await Database.pglite(null);
  const admin = await amqp.connect(url);
  const channel = await admin.createChannel();
  return {
    transport,
    reset: async () => {
      for (const queue of queueNames(TOPOLOGY, prefix)) await channel.purgeQueue(queue);
    },
    inRolledBackTransaction: (work) => inRolledBackTransaction(database, work),
    close: async () => {
      await transport.close();
      await admin.close();
      await database.close();
    },
  };
}

describeContract(
  'MessageTransport',
  { pglite: embeddedHarness, postgres: embeddedHarness, rabbitmq: rabbitmqHarness },
  messageTransportContract,
);
