import amqp from 'amqplib';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { Database } from '../../src/platform/db/database.js';
import { AmqpTransport } from '../../src/platform/messaging/amqp-transport.js';
import { queueNames } from '../../src/platform/messaging/amqp-topology.js';
import { EmbeddedTransport } from '../../src/platform/messaging/embedded-transport.js';
import { openEngine, type EngineKind } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';
import { AMQP_URL, deleteTopology, rabbitmqAvailable, uniquePrefix } from '../support/rabbitmq.js';
import { describeMessageTransportContract, type MessageTransportHarness } from './message-transport.contract.js';

const postgres = await postgresAvailable();
const rabbitmq = await rabbitmqAvailable();
const logger = pino({ level: 'silent' });

class RollBack extends Error {}

/** Runs `work` in a transaction of `database` and rolls it back. */
async function inRolledBackTransaction(database: Database, work: () => Promise<void>): Promise<void> {
  await database
    .transaction(async () => {
      await work();
      throw new RollBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RollBack)) throw error;
    });
}

async function embeddedHarness(kind: EngineKind): Promise<MessageTransportHarness> {
  const engine = await openEngine(kind);
  const { database } = engine;
  const transport = new EmbeddedTransport(database, logger, { releaseLeasesOnStart: kind === 'pglite' });
  await transport.start();
  return {
    transport,
    reset: async () => {
      await database.query(sql`delete from messaging.queue_messages`);
    },
    inRolledBackTransaction: (work) => inRolledBackTransaction(database, work),
    close: async () => {
      await transport.close();
      await engine.close();
    },
  };
}

/** A topology of its own on the shared broker (name prefix); PGlite stands in for the service's database. */
async function rabbitmqHarness(): Promise<MessageTransportHarness> {
  const prefix = uniquePrefix();
  const transport = new AmqpTransport(AMQP_URL, logger, { prefix });
  await transport.start();
  const database = await Database.pglite(null);
  const admin = await amqp.connect(AMQP_URL);
  const channel = await admin.createChannel();
  return {
    transport,
    reset: async () => {
      for (const queue of queueNames(prefix)) await channel.purgeQueue(queue);
    },
    inRolledBackTransaction: (work) => inRolledBackTransaction(database, work),
    close: async () => {
      await transport.close();
      await admin.close();
      await deleteTopology(prefix);
      await database.close();
    },
  };
}

describeMessageTransportContract('EmbeddedTransport on PGlite', () => embeddedHarness('pglite'));
describeMessageTransportContract('EmbeddedTransport on PostgreSQL', () => embeddedHarness('postgres'), {
  skip: !postgres,
});
describeMessageTransportContract('AmqpTransport on RabbitMQ', rabbitmqHarness, { skip: !rabbitmq });
