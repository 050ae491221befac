import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { sleep, until } from './http-client.js';
import { portico } from './rabbitmq/cli.js';
import { Cluster, queueInfo } from './rabbitmq/cluster.js';
import { expectExactlyOnce, startLoad, workerLines } from './rabbitmq/harness.js';
import { machineServicesUp, useIsolatedServices } from './rabbitmq/services.js';

const up = await machineServicesUp();

/**
 * Case 4 of issue 3: poison under load. A command that fails the same way every time is retried
 * on the delay tiers and reaches users.commands.dlq after the delivery limit (four deliveries
 * with RETRY_DELAYS=1s,1s,1s), then is never delivered again; an unparseable message goes there
 * at once. The operator lists both with `portico dlq list`, removes the cause and replays the
 * first with `portico dlq replay --id`: it is applied once, and only the unparseable one stays.
 */
describe.skipIf(!up)('RabbitMQ fault: a poison message reaches the DLQ after the delivery limit', () => {
  const services = useIsolatedServices();

  it('dead-letters it without a hot loop, and replays it once fixed', async () => {
    const { databaseUrl, amqpUrl } = services();
    const cluster = await Cluster.start({ databaseUrl, amqpUrl, workers: 2, env: { RETRY_DELAYS: '1s,1s,1s' } });
    const running = await startLoad(cluster, services(), 10);
    const env = { DATABASE_URL: databaseUrl, AMQP_URL: amqpUrl };

    // The poison: creating a user whose id a stray row already holds fails with a primary-key
    // violation, which is not a domain error, so it is retried as transient, every time.
    const blocked = randomUUID();
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query(
      `insert into users.users (id, roles, status, version, created_at, updated_at) values ($1, '{user}', 'active', 1, now(), now())`,
      [blocked],
    );
    const poisonId = randomUUID();
    const garbageId = randomUUID();
    await publishCommands(amqpUrl, [
      {
        messageId: poisonId,
        body: Buffer.from(
          JSON.stringify({
            type: 'users.create_user',
            userId: blocked,
            email: `poison-${poisonId}@example.com`,
            username: `poison_${poisonId.slice(0, 8)}`,
            firstName: 'Poison',
            lastName: 'Pill',
            passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g',
            roles: ['user'],
          }),
        ),
      },
      { messageId: garbageId, body: Buffer.from('{ this is not json') },
    ]);

    const dlq = await until(Date.now() + 30_000, 250, async () =>
      ((await queueInfo(amqpUrl, 'users.commands.dlq'))?.messageCount ?? 0) >= 2 ? true : null,
    );
    expect(dlq, 'both reached users.commands.dlq').toBe(true);
    await sleep(3_000);
    const retries = workerLines(cluster, (l) => l.includes(poisonId) && l.includes('transient failure: will retry'));
    const exhausted = workerLines(cluster, (l) => l.includes(poisonId) && l.includes('retries exhausted'));
    console.log(`[4 poison] deliveries of the poison: ${retries + exhausted} (${retries} retried, then dead-lettered)`);
    expect(retries, 'retried on the tiers, not in a hot loop').toBe(3);
    expect(exhausted).toBe(1);

    const listed = await portico(['dlq', 'list', 'users.commands', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    const letters = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { messageId: string; error: string | null });
    expect(letters.map((l) => l.messageId).sort()).toEqual([poisonId, garbageId].sort());
    const table = await portico(['dlq', 'list', 'users.commands'], env);
    console.log(`[4 poison] portico dlq list users.commands:\n${table.stdout}`);

    // The operator removes the cause and replays the poison alone.
    await db.query('delete from users.users where id = $1', [blocked]);
    const replay = await portico(['dlq', 'replay', 'users.commands', '--id', poisonId], env);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain(poisonId);
    const created = await until(Date.now() + 20_000, 250, async () => {
      const { rows } = await db.query(`select 1 from read.user_views where id = $1`, [blocked]);
      return rows.length > 0 ? true : null;
    });
    expect(created, 'the replayed command was applied and projected').toBe(true);
    await db.end();

    const report = await running.finish('4 poison');
    expectExactlyOnce(report, { 'users.commands.dlq': 1 });
    const left = await portico(['dlq', 'list', 'users.commands', '--json'], env);
    expect(
      left.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { messageId: string }).messageId),
    ).toEqual([garbageId]);
    await cluster.stop();
  }, 180_000);
});

/** Publishes straight to the command queue, as a buggy producer would. */
async function publishCommands(url: string, messages: { messageId: string; body: Buffer }[]): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    for (const m of messages) {
      channel.publish('portico.commands', 'users.commands', m.body, {
        persistent: true,
        messageId: m.messageId,
        correlationId: m.messageId,
        type: 'users.create_user',
        contentType: 'application/json',
        timestamp: Math.floor(Date.now() / 1000),
      });
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}
