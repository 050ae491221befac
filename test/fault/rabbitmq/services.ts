import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../support/postgres.js';
import { rabbitmqAvailable } from '../../support/rabbitmq.js';
import { killAllServices } from '../../support/service-process.js';
import { createVhost } from './vhost.js';

/** Whether the machine's PostgreSQL and RabbitMQ answer (with CI=true, missing ones throw). */
export async function machineServicesUp(): Promise<boolean> {
  return (await postgresAvailable()) && (await rabbitmqAvailable());
}

export type IsolatedServices = Awaited<ReturnType<typeof isolatedServices>>;

/**
 * Registers the suite's hooks: fresh services before, every spawned process killed and the
 * services dropped after. Returns a getter, since the services exist only once `beforeAll` ran.
 */
export function useIsolatedServices(): () => IsolatedServices {
  let services: IsolatedServices | undefined;
  beforeAll(async () => {
    services = await isolatedServices();
  }, 60_000);
  afterAll(async () => {
    await killAllServices();
    await services?.drop();
  }, 60_000);
  return () => {
    if (!services) throw new Error('the isolated services did not start');
    return services;
  };
}

/** A fresh database on the machine's PostgreSQL and a fresh vhost on its RabbitMQ. */
export async function isolatedServices(): Promise<{ databaseUrl: string; amqpUrl: string; drop: () => Promise<void> }> {
  const database = await createTestDatabase();
  const vhost = await createVhost().catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  return {
    databaseUrl: database.url,
    amqpUrl: vhost.url,
    drop: async () => {
      await vhost.drop();
      await database.drop();
    },
  };
}

/** The same URL with its host port replaced (to send one process through a proxy). */
export function viaPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.host = `127.0.0.1:${port}`;
  return parsed.toString();
}

export function targetPort(url: string, fallback: number): number {
  const port = new URL(url).port;
  return port ? Number(port) : fallback;
}

export const runId = (): string => `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
