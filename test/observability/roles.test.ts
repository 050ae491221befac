import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { login, newUserBody, TEST_ADMIN } from '../support/test-service.js';
import { TEST_ENCRYPTION_KEY } from '../support/service-process.js';
import { freePort } from './prometheus-server.js';

/**
 * `portico api|worker|relay|projector` as four processes on one PostgreSQL database, the way a
 * split deployment runs: each must answer GET /metrics (the API on PORT, the others on
 * METRICS_PORT) and report what it does itself.
 */

const BIN = fileURLToPath(new URL('../../bin/portico.js', import.meta.url));
const postgresUp = await postgresAvailable();

interface Role {
  readonly name: string;
  readonly child: ChildProcess;
  readonly metricsUrl: string;
  readonly output: string[];
}

describe.skipIf(!postgresUp)('GET /metrics on every role run alone', () => {
  let database: { url: string; drop: () => Promise<void> };
  const roles = new Map<string, Role>();
  let apiUrl: string;

  const baseEnv = () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      ENCRYPTION_KEYS: TEST_ENCRYPTION_KEY,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
    };
    for (const name of [
      'AMQP_URL',
      'DATA_DIR',
      'PUBLIC_URL',
      'NODE_OPTIONS',
      'PORTICO_ADMIN_EMAIL',
      'PORTICO_ADMIN_PASSWORD',
    ]) {
      delete env[name];
    }
    return { ...env, DATABASE_URL: database.url };
  };

  function run(args: string[], env: Record<string, string>): { child: ChildProcess; output: string[] } {
    const output: string[] = [];
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...baseEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    return { child, output };
  }

  async function metricsOf(role: string): Promise<string> {
    const response = await fetch(roles.get(role)!.metricsUrl);
    expect(response.status).toBe(200);
    return response.text();
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    const migrate = run(['migrate'], {});
    const code = await new Promise<number | null>((resolve) => migrate.child.once('exit', resolve));
    expect(code, migrate.output.join('')).toBe(0);
    for (const name of ['api', 'worker', 'relay', 'projector', 'mailer']) {
      const port = await freePort();
      const env: Record<string, string> =
        name === 'api'
          ? { PORT: String(port), PORTICO_ADMIN_EMAIL: TEST_ADMIN.email, PORTICO_ADMIN_PASSWORD: TEST_ADMIN.password }
          : { PORT: '0', METRICS_PORT: String(port), ...(name === 'mailer' && { SMTP_URL: 'smtp://127.0.0.1:2525' }) };
      const { child, output } = run([name], env);
      roles.set(name, { name, child, output, metricsUrl: `http://127.0.0.1:${port}/metrics` });
      if (name === 'api') apiUrl = `http://127.0.0.1:${port}`;
    }
    for (const role of roles.values()) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (role.child.exitCode !== null) throw new Error(`${role.name} exited:\n${role.output.join('')}`);
        const response = await fetch(role.metricsUrl).catch(() => null);
        if (response?.ok) break;
        if (Date.now() > deadline) throw new Error(`${role.name} never served /metrics:\n${role.output.join('')}`);
        await sleep(250);
      }
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(
      [...roles.values()].map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        if ((await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)])) === false) {
          child.kill('SIGKILL');
          await exited;
        }
      }),
    );
    await database?.drop();
  }, 60_000);

  it('answers on each role, each reporting the state it owns', async () => {
    const worker = await metricsOf('worker');
    expect(worker).toContain('queue_depth{queue="users.commands"} 0');
    expect(worker).not.toContain('outbox_pending');
    const projector = await metricsOf('projector');
    expect(projector).toContain('queue_depth{queue="read-model.user-views"} 0');
    // The mail consumer runs in its own role, nowhere else.
    expect(projector).not.toContain('queue="mail.deliveries"');
    expect(await metricsOf('mailer')).toContain('queue_depth{queue="mail.deliveries"} 0');
    expect(await metricsOf('relay')).toMatch(/^outbox_pending 0$/m);
    expect(await metricsOf('api')).toContain('# TYPE http_requests_total counter');
  });

  it('follows one create through the roles: API request, worker command, relay publish, projector lag', async () => {
    const { accessToken } = await login(apiUrl, TEST_ADMIN.email, TEST_ADMIN.password);
    const response = await fetch(`${apiUrl}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'wait=20', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(newUserBody('split-roles')),
    });
    expect(response.status).toBe(201);
    expect(await metricsOf('api')).toMatch(
      /^http_requests_total\{method="POST",route="\/api\/v1\/users",status_code="201"\} 1$/m,
    );
    expect(await metricsOf('worker')).toMatch(
      /^command_processing_total\{command="users.create_user",status="success"\} 1$/m,
    );
    // Three events: the bootstrapped admin's creation, the admin's login, then this user's creation.
    expect(await metricsOf('relay')).toMatch(/^messages_published_total\{destination="events",status="ok"\} 3$/m);
    const projector = await metricsOf('projector');
    expect(projector).toMatch(/^projection_lag_seconds\{projection="user-views"\} \d/m);
    expect(projector).toMatch(/^projection_position\{projection="user-views"\} \d+$/m);
  }, 60_000);
});
