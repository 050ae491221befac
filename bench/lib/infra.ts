import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import pg from 'pg';

/**
 * The machine's PostgreSQL and RabbitMQ, shared with other work: the bench takes a database and a
 * virtual host of its own each run (Portico's queue names are fixed, so isolation is the vhost's).
 */

export const POSTGRES_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const AMQP_URL = process.env.BENCH_AMQP_URL ?? process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const run = promisify(execFile);

export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function rabbitmqAvailable(): Promise<boolean> {
  try {
    const connection = await amqp.connect(AMQP_URL);
    await connection.close();
    await run('rabbitmqctl', ['--version'], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

export interface Owned {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

export async function createDatabase(runId: string, label: string): Promise<Owned> {
  const name = `portico_bench_${runId}_${label}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function createVhost(runId: string, label: string): Promise<Owned> {
  const name = `portico-bench-${runId}-${label}`;
  return { name, ...(await addVhost(AMQP_URL, name)) };
}

/** A virtual host on the broker of `amqpUrl`, the URL's user allowed everything in it (the fault tests use it too). */
export async function addVhost(amqpUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(amqpUrl);
  const user = decodeURIComponent(base.username || 'guest');
  await run('rabbitmqctl', ['add_vhost', name], { timeout: 30_000 });
  await run('rabbitmqctl', ['set_permissions', '-p', name, user, '.*', '.*', '.*'], { timeout: 30_000 });
  base.pathname = `/${encodeURIComponent(name)}`;
  return {
    url: base.toString(),
    drop: async () => {
      await run('rabbitmqctl', ['delete_vhost', name], { timeout: 30_000 }).catch(() => undefined);
    },
  };
}
