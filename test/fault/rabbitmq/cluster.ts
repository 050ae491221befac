import amqp from 'amqplib';
import { spawnService, type ServiceProcess } from '../../support/service-process.js';
import { Database } from '../../../src/platform/db/database.js';
import { migrate } from '../../../src/platform/db/migrate.js';
import { Queues } from '../../support/contexts.js';
import { sleep } from '../http-client.js';
import { freePort } from './ports.js';

export type Role = 'api' | 'worker' | 'relay' | 'projector' | 'mailer';

/** The roles that consume a queue: ready once the broker counts one more consumer on it. */
type Consuming = 'worker' | 'projector' | 'mailer';
const QUEUE_OF: Record<Consuming, string> = {
  worker: Queues.userCommands,
  projector: Queues.userViewsProjection,
  mailer: 'mail.deliveries',
};
const consuming = (role: Role): role is Consuming => role in QUEUE_OF;

export interface ClusterOptions {
  readonly databaseUrl: string;
  readonly amqpUrl: string;
  readonly workers?: number;
  /** On top of every role's environment (RETRY_DELAYS, ...). */
  readonly env?: Record<string, string>;
}

export const ADMIN = { email: 'fault-admin@example.com', password: 'broker-chaos-monkey-77' } as const;

/**
 * Portico in the production shape: every role its own `node bin/portico.js <role>` process on
 * PostgreSQL and RabbitMQ. Readiness comes from outside, as an orchestrator would see it: the
 * API's /ready, and the broker's consumer counts for workers and the projector.
 */
export class Cluster {
  readonly processes = new Map<string, ServiceProcess>();
  private counter = 0;
  apiPort = 0;

  private constructor(readonly options: ClusterOptions) {}

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    const database = Database.postgres(options.databaseUrl, { poolSize: 1 });
    try {
      await migrate(database);
    } finally {
      await database.close();
    }
    const cluster = new Cluster(options);
    await Promise.all([
      cluster.startRole('api'),
      cluster.startRole('relay'),
      cluster.startRole('projector'),
      ...Array.from({ length: options.workers ?? 2 }, () => cluster.startRole('worker')),
    ]);
    return cluster;
  }

  role(name: string): ServiceProcess {
    const found = this.processes.get(name);
    if (!found) throw new Error(`no process ${name}`);
    return found;
  }

  workers(): string[] {
    return [...this.processes.keys()].filter((name) => name.startsWith('worker'));
  }

  /** Spawns a role and waits until it is ready; `env` overrides (e.g. a proxy's DATABASE_URL). */
  async startRole(role: Role, env: Record<string, string> = {}, name?: string): Promise<string> {
    const id = name ?? (role === 'worker' ? `worker-${++this.counter}` : role);
    const port = role === 'api' ? await freePort(41_000, 49_000) : 0;
    const consumersBefore = consuming(role) ? await this.consumers(role) : 0;
    const child = spawnService({
      args: [role],
      ...(role === 'api' && { port }),
      env: {
        DATABASE_URL: this.options.databaseUrl,
        AMQP_URL: this.options.amqpUrl,
        METRICS_PORT: '0',
        DB_POOL_SIZE: '6',
        HASH_CONCURRENCY: '1',
        WORKER_CONCURRENCY: '4',
        // Workers log each command's outcome ("duplicate" proves a redelivery was absorbed).
        LOG_LEVEL: role === 'worker' ? 'debug' : 'info',
        ...(role === 'api' && { PORTICO_ADMIN_EMAIL: ADMIN.email, PORTICO_ADMIN_PASSWORD: ADMIN.password }),
        ...this.options.env,
        ...env,
      },
    });
    this.processes.set(id, child);
    await child.waitForLog((line) => line.msg === 'transport started', 60_000);
    const deadline = Date.now() + 60_000;
    const ready = async (): Promise<boolean> => {
      if (role === 'api') {
        const answer = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(2_000) }).catch(
          () => null,
        );
        return answer?.status === 200;
      }
      if (consuming(role)) return (await this.consumers(role)) > consumersBefore;
      return true;
    };
    while (!(await ready())) {
      if (child.hasExited) throw new Error(`${id} exited while starting:\n${child.output.slice(-20).join('\n')}`);
      if (Date.now() > deadline) throw new Error(`${id} not ready within 60 s:\n${child.output.slice(-20).join('\n')}`);
      await sleep(200);
    }
    if (role === 'api') this.apiPort = port;
    return id;
  }

  async kill9(name: string): Promise<void> {
    await this.role(name).kill9();
    this.processes.delete(name);
  }

  /** Graceful stop of every role (workers first, as a rolling shutdown would), kill -9 after 20 s. */
  async stop(): Promise<void> {
    const order = [...this.workers(), 'api', 'relay', 'projector', 'mailer'];
    for (const name of order) await this.processes.get(name)?.stop(20_000);
    this.processes.clear();
  }

  /** Consumers on a role's queue right now (0 when the broker is unreachable). */
  async consumers(role: Consuming): Promise<number> {
    return (await queueInfo(this.options.amqpUrl, QUEUE_OF[role]))?.consumerCount ?? 0;
  }
}

/** Message and consumer counts of a queue, or null when it does not exist or the broker is down. */
export async function queueInfo(
  url: string,
  queue: string,
): Promise<{ messageCount: number; consumerCount: number } | null> {
  let connection: amqp.ChannelModel | null = null;
  try {
    connection = await amqp.connect(url);
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    return await channel.checkQueue(queue);
  } catch {
    return null;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
