import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rabbitmqAvailable } from '../support/rabbitmq.js';
import { killAllServices } from '../support/service-process.js';
import { sleep } from './http-client.js';
import { Cluster } from './rabbitmq/cluster.js';
import { expectExactlyOnce, startLoad } from './rabbitmq/harness.js';
import { OwnPostgres, postgresBinDir } from './rabbitmq/own-postgres.js';
import { createVhost } from './rabbitmq/vhost.js';

const up = (await rabbitmqAvailable()) && (postgresBinDir() !== null || process.env.CI === 'true');

/**
 * Case 3 of issue 3: PostgreSQL restarts (fast shutdown: every connection is dropped and open
 * transactions roll back) under load, on a cluster of the test's own. Roles keep running: the API
 * answers 503, workers and the projector retry, the relay's LISTEN connection comes back.
 */
describe.skipIf(!up)('RabbitMQ fault: restart PostgreSQL', () => {
  let postgres: OwnPostgres | undefined;
  let vhost: Awaited<ReturnType<typeof createVhost>> | undefined;

  beforeAll(async () => {
    postgres = await OwnPostgres.create();
    await postgres.start();
    vhost = await createVhost();
  }, 90_000);

  afterAll(async () => {
    await killAllServices();
    await postgres?.destroy();
    await vhost?.drop();
  }, 90_000);

  it('applies every accepted command exactly once across the restart', async () => {
    const urls = { databaseUrl: postgres!.url, amqpUrl: vhost!.url };
    // Short retry waits keep the run bounded; the schedule itself is what production uses, scaled.
    const cluster = await Cluster.start({ ...urls, workers: 2, env: { RETRY_DELAYS: '1s,5s,5s,30s' } });
    const running = await startLoad(cluster, urls, 10);
    await sleep(3_000);

    const stoppedAt = Date.now();
    await postgres!.stop();
    await sleep(3_000);
    await postgres!.start();
    console.log(`[3 postgres restart] down for ${Date.now() - stoppedAt} ms`);
    await sleep(5_000);

    const report = await running.finish('3 postgres restart', 90_000);
    expect(report.refused['503'] ?? 0, 'the API refused while the database was down').toBeGreaterThan(0);
    expectExactlyOnce(report);
    const relay = cluster.role('relay').output;
    expect(
      relay.some((line) => line.includes('notification listener lost')),
      'the relay noticed',
    ).toBe(true);
    await cluster.stop();
  }, 240_000);
});
