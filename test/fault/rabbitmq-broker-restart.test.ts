import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { killAllServices } from '../support/service-process.js';
import { sleep, until } from './http-client.js';
import { Cluster } from './rabbitmq/cluster.js';
import { expectExactlyOnce, startLoad } from './rabbitmq/harness.js';
import { OwnRabbitMq, rabbitmqServerInstalled } from './rabbitmq/own-rabbitmq.js';

const up = (await postgresAvailable()) && (rabbitmqServerInstalled() || process.env.CI === 'true');

/**
 * Case 2 of issue 3: RabbitMQ stops (cleanly, as in a rolling upgrade) and starts again under load,
 * on a broker of the test's own. While it is down the API must refuse (503), never accept; after
 * it is back every role reconnects, re-subscribes, and everything accepted is applied once.
 */
describe.skipIf(!up)('RabbitMQ fault: stop and start the broker', () => {
  let broker: OwnRabbitMq | undefined;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    broker = await OwnRabbitMq.create();
    await broker.start();
  }, 90_000);

  afterAll(async () => {
    await killAllServices();
    await broker?.destroy();
    await database?.drop();
  }, 90_000);

  it('refuses while the broker is down and applies every accepted command exactly once', async () => {
    const urls = { databaseUrl: database!.url, amqpUrl: broker!.url };
    const cluster = await Cluster.start({ ...urls, workers: 2 });
    const running = await startLoad(cluster, urls, 10);
    await sleep(3_000);

    await broker!.stop();
    const downAt = Date.now();
    await sleep(3_000);
    await broker!.start();
    const back = await until(Date.now() + 60_000, 500, async () =>
      (await cluster.consumers('worker')) >= 2 && (await cluster.consumers('projector')) >= 1 ? true : null,
    );
    console.log(`[2 broker restart] down for ${Date.now() - downAt} ms; roles re-subscribed: ${back === true}`);
    expect(back, 'every worker and the projector re-subscribed').toBe(true);
    await sleep(4_000);

    const report = await running.finish('2 broker stop/start', 90_000);
    expect(report.refused['503'] ?? 0, 'the API refused while the broker was down').toBeGreaterThan(0);
    expectExactlyOnce(report);
    await cluster.stop();
  }, 240_000);
});
