import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { request, sleep, until } from './http-client.js';
import { portico } from './rabbitmq/cli.js';
import { Cluster, queueInfo } from './rabbitmq/cluster.js';
import { expectExactlyOnce, startLoad } from './rabbitmq/harness.js';
import { seedUsers } from './rabbitmq/load.js';
import { machineServicesUp, useIsolatedServices, runId } from './rabbitmq/services.js';

const up = await machineServicesUp();

const VIEW = `select id, email, username, first_name, last_name, roles, status, version, created_at, updated_at
                from read.user_views order by id`;

/**
 * Case 7 of issue 3: `portico projections rebuild` runs while the load goes on and swaps its table
 * in; once everything is projected, the live read model equals a rebuild made from the outbox
 * alone. Then every event is delivered to the projector again, twice (once through the inbox,
 * once with the inbox emptied, so only the version rule stands guard): nothing changes.
 */
describe.skipIf(!up)('RabbitMQ fault: projection rebuild and replay', () => {
  const services = useIsolatedServices();

  it('rebuilds the live read model exactly, and replays change nothing', async () => {
    const { databaseUrl, amqpUrl } = services();
    const env = { DATABASE_URL: databaseUrl, AMQP_URL: amqpUrl };
    const cluster = await Cluster.start({ databaseUrl, amqpUrl, workers: 2 });
    const running = await startLoad(cluster, services(), 10);
    // Users outside the load's PATCH rotation, so its commands keep succeeding.
    const [deactivated, deleted] = await seedUsers(cluster.apiUrl, running.headers, runId(), 2);
    const wait = { ...running.headers, prefer: 'wait=20' };
    expect(
      (await request(`${cluster.apiUrl}/api/v1/users/${deactivated}/deactivate`, 'POST', undefined, wait)).status,
    ).toBe(200);
    expect([200, 204]).toContain(
      (await request(`${cluster.apiUrl}/api/v1/users/${deleted}`, 'DELETE', undefined, wait)).status,
    );
    await sleep(3_000);

    const during = await portico(['projections', 'rebuild'], env, 120_000);
    expect(during.code, during.stderr).toBe(0);
    await sleep(3_000);
    const report = await running.finish('7 rebuild');
    expectExactlyOnce(report);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const live = JSON.stringify((await db.query(VIEW)).rows);
    const rebuilt = await portico(['projections', 'rebuild'], env, 120_000);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr, 'a progress bar on stderr').toMatch(/rebuilding user_views .*100%/);
    const afterRebuild = JSON.stringify((await db.query(VIEW)).rows);

    const replay = async (clearInbox: boolean) => {
      if (clearInbox) await db.query(`delete from messaging.inbox where consumer = 'projection:user-views'`);
      await db.query('update messaging.outbox set published_at = null');
      const drained = await until(Date.now() + 60_000, 300, async () => {
        const { rows } = await db.query<{ n: number }>(
          'select count(*)::int as n from messaging.outbox where published_at is null',
        );
        const queue = await queueInfo(amqpUrl, 'read-model.user-views');
        return rows[0]!.n === 0 && queue?.messageCount === 0 ? true : null;
      });
      expect(drained, 'the replay was delivered').toBe(true);
      await sleep(1_000);
      return JSON.stringify((await db.query(VIEW)).rows);
    };
    const replayedOnce = await replay(false);
    const replayedTwice = await replay(true);
    const { rows: indexes } = await db.query<{ indexname: string }>(
      `select indexname from pg_indexes where schemaname = 'read' and tablename = 'user_views' order by 1`,
    );
    const { rows: counts } = await db.query<{ n: number }>('select count(*)::int as n from read.user_views');
    await db.end();

    console.log(
      `[7 rebuild] rows ${counts[0]!.n}; rebuild during load: ${during.stdout.trim()}; ` +
        `rebuild equals live: ${afterRebuild === live}; replayed twice unchanged: ${replayedOnce === live && replayedTwice === live}`,
    );
    expect(afterRebuild).toBe(live);
    expect(replayedOnce).toBe(live);
    expect(replayedTwice).toBe(live);
    expect(indexes.map((i) => i.indexname)).toEqual([
      'user_views_email_idx',
      'user_views_pkey',
      'user_views_username_idx',
    ]);
    await cluster.stop();
  }, 240_000);
});
