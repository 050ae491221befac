import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { sleep, until } from './http-client.js';
import { Cluster } from './rabbitmq/cluster.js';
import { expectExactlyOnce, startLoad } from './rabbitmq/harness.js';
import { machineServicesUp, useIsolatedServices } from './rabbitmq/services.js';

const up = await machineServicesUp();

/**
 * Case 6 of issue 3: a transaction takes an outbox position, then stays open for seconds while
 * workers keep committing later positions. A relay that published "what is committed, by
 * position" would publish past it and never come back, or publish it out of commit order. The
 * relay must wait (tx_id < pg_snapshot_xmin), then publish it before anything committed after it.
 */
describe.skipIf(!up)('RabbitMQ fault: a long transaction holding an earlier outbox position', () => {
  const services = useIsolatedServices();

  it('is published in commit order and projected, and nothing is skipped', async () => {
    const { databaseUrl, amqpUrl } = services();
    const cluster = await Cluster.start({ databaseUrl, amqpUrl, workers: 2 });
    const running = await startLoad(cluster, services(), 10);
    await sleep(2_000);

    const slow = new pg.Client({ connectionString: databaseUrl });
    const observer = new pg.Client({ connectionString: databaseUrl });
    await slow.connect();
    await observer.connect();
    const aggregate = randomUUID();
    await slow.query('begin');
    const held = await slow.query<{ position: string; tx_id: string }>(
      `insert into messaging.outbox (event_id, type, version, aggregate_id, aggregate_version, data, metadata, occurred_at)
       values ($1, 'users.user.created', 1, $2, 1, $3, '{}', now()) returning position, tx_id::text`,
      [
        randomUUID(),
        aggregate,
        JSON.stringify({
          email: `held-${aggregate}@example.com`,
          username: `held_${aggregate.slice(0, 8)}`,
          firstName: 'Held',
          lastName: 'Back',
          roles: ['user'],
        }),
      ],
    );
    const position = Number(held.rows[0]!.position);
    const txId = held.rows[0]!.tx_id;
    // Later positions commit meanwhile.
    const later = await until(Date.now() + 10_000, 200, async () => {
      const { rows } = await observer.query<{ n: number }>(
        'select count(*)::int as n from messaging.outbox where position > $1',
        [position],
      );
      return rows[0]!.n >= 10 ? rows[0]!.n : null;
    });
    await sleep(2_000);
    const { rows: early } = await observer.query<{ n: number }>(
      // Transactions that began before it and commit while it is open are ahead of it in commit
      // order and may go; none that began after it may.
      `select count(*)::int as n from messaging.outbox
        where position > $1 and tx_id > $2::xid8 and published_at is not null`,
      [position, txId],
    );
    await slow.query('commit');
    await slow.end();

    const report = await running.finish('6 long transaction');
    const { rows: order } = await observer.query<{ n: number }>(
      `select count(*)::int as n from messaging.outbox o, messaging.outbox h
        where h.position = $1 and o.tx_id > h.tx_id and o.published_at < h.published_at`,
      [position],
    );
    const { rows: view } = await observer.query('select version from read.user_views where id = $1', [aggregate]);
    await observer.end();
    console.log(
      `[6 long transaction] held position ${position} for ${later ?? 0}+ later commits; begun after it and published while it was open: ${early[0]!.n}; ` +
        `published out of commit order: ${order[0]!.n}; projected: ${view.length === 1}`,
    );
    expect(later, 'later positions committed while it was open').not.toBeNull();
    expect(early[0]!.n, 'nothing that began after it was published while it was open').toBe(0);
    expect(order[0]!.n, 'nothing that began after it was published before it').toBe(0);
    expect(view).toEqual([{ version: 1 }]);
    expectExactlyOnce(report);
    await cluster.stop();
  }, 180_000);
});
