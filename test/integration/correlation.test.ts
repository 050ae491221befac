import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/apps/api.js';
import { startRelay, type RelayRole } from '../../src/apps/relay.js';
import { createRuntime, type Runtime } from '../../src/apps/runtime.js';
import { startConsumers } from '../../src/apps/consumers.js';
import { loadConfig } from '../../src/apps/config/config.js';
import type { HttpServer } from '../../src/platform/http/server.js';
import type { Delivery } from '../../src/platform/messaging/message.js';
import { Queues } from '../support/contexts.js';
import type { Subscription } from '../../src/platform/messaging/transport.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { deleteTopology, rabbitmqAvailable, uniquePrefix, AMQP_URL } from '../support/rabbitmq.js';

const brokerUp = (await postgresAvailable()) && (await rabbitmqAvailable());
const ADMIN = { email: 'trace-admin@example.com', password: 'correlate-every-hop-42' };

/**
 * X-Request-Id becomes the command's correlationId, and every event the command causes carries it
 * as its correlationId, with `causation-id` = the command's id and the caller's `traceparent`:
 * API → command queue → worker → outbox → relay → event queue, on both transports. The test takes
 * the projector's place on the event queue so it sees each delivery as a consumer would.
 */
describe.each([
  { engine: 'embedded', skip: false },
  { engine: 'rabbitmq', skip: !brokerUp },
])('correlation across every hop [$engine]', ({ engine, skip }) => {
  let runtime: Runtime;
  let app: HttpServer;
  let relay: RelayRole;
  let subscriptions: Subscription[] = [];
  let cleanup: () => Promise<void> = async () => undefined;
  const events: Delivery[] = [];

  beforeAll(async () => {
    if (skip) return;
    const database = engine === 'rabbitmq' ? await createTestDatabase() : null;
    const prefix = engine === 'rabbitmq' ? uniquePrefix() : null;
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      HASH_CONCURRENCY: '1',
      PORTICO_ADMIN_EMAIL: ADMIN.email,
      PORTICO_ADMIN_PASSWORD: ADMIN.password,
      ...(database && { DATABASE_URL: database.url }),
      ...(prefix && { AMQP_URL }),
    });
    runtime = await createRuntime({ ...config, dataDir: '' }, pino({ level: 'silent' }), {
      migrate: true,
      ...(prefix && { amqp: { prefix } }),
    });
    relay = await startRelay(runtime);
    subscriptions = [
      await startConsumers(runtime, { commands: true, events: false, onCommitted: () => relay.nudge() }),
      await runtime.transport.consume(
        Queues.userViewsProjection,
        async (delivery) => {
          events.push(delivery);
          return { outcome: 'ack' };
        },
        { concurrency: 1 },
      ),
    ];
    app = await buildApi(runtime);
    cleanup = async () => {
      await app.close();
      for (const s of subscriptions) await s.stop();
      await relay.stop();
      await runtime.close();
      await database?.drop();
      if (prefix) await deleteTopology(prefix);
    };
  }, 60_000);

  afterAll(() => cleanup(), 60_000);

  it.skipIf(skip)(
    'keeps X-Request-Id, causation and traceparent from the request to the event',
    async () => {
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ADMIN });
      const token = (login.json() as { accessToken?: string }).accessToken;
      const requestId = `req-${randomBytes(6).toString('hex')}`;
      const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
      const answer = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: {
          'x-request-id': requestId,
          traceparent,
          ...(token && { authorization: `Bearer ${token}` }),
        },
        payload: {
          email: `${requestId}@example.com`,
          username: requestId.replace(/-/g, '_'),
          firstName: 'Trace',
          lastName: 'Parent',
          password: 'correlate-every-hop-42',
        },
      });
      expect(answer.statusCode, answer.body).toBe(202);
      expect(answer.headers['x-request-id']).toBe(requestId);
      const { commandId } = answer.json() as { commandId: string };

      const deadline = Date.now() + 20_000;
      let event: Delivery | undefined;
      while (!(event = events.find((e) => e.correlationId === requestId)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(event, 'the event reached the projection queue').toBeDefined();
      expect(event).toMatchObject({
        type: 'users.user.created',
        correlationId: requestId,
        headers: expect.objectContaining({ 'causation-id': commandId, traceparent }),
      });

      const status = await runtime.database.query<{ correlation_id: string; status: string }>(
        sql`select correlation_id, status from messaging.command_status where command_id = ${commandId}`,
      );
      expect(status.rows).toEqual([{ correlation_id: requestId, status: 'succeeded' }]);
      const outbox = await runtime.database.query<{ event_id: string; metadata: Record<string, string> }>(
        sql`select event_id, metadata from messaging.outbox where metadata->>'causationId' = ${commandId}`,
      );
      expect(outbox.rows).toEqual([
        { event_id: event!.messageId, metadata: { correlationId: requestId, causationId: commandId, traceparent } },
      ]);
    },
    30_000,
  );
});
