import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  killAllServices,
  spawnService,
  startService,
  type ServiceProcess,
  type SpawnOptions,
} from '../support/service-process.js';

/**
 * `portico start` as a newcomer meets it, in a real process: it says what it is doing until it is
 * ready, and each mistake an operator can make is one line with its fix and status 2, found
 * before anything is written (no database directory appears).
 */
const scratch = join(tmpdir(), `portico-first-start-${randomUUID()}`);
const dataDir = join(scratch, 'data');
const untouched = () => join(scratch, `never-created-${randomUUID()}`);
let running: ServiceProcess;

afterAll(async () => {
  await killAllServices();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs a command that must fail; its output is what an operator reads. */
async function failure(options: SpawnOptions): Promise<{ code: number | null; lines: string[] }> {
  const child = spawnService(options);
  const exit = await child.exited;
  // JSON log lines are progress; what the operator must read is on the `portico:` lines.
  return { code: exit.code, lines: child.output.filter((line) => !line.startsWith('{')) };
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the first start', () => {
  it('says what it is doing, then that it is ready, in how long and where', { timeout: 180_000 }, async () => {
    running = await startService({ env: { DATA_DIR: dataDir } }, 170_000);
    const messages = running.output
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line).msg as string);
    const steps = [
      /^creating the embedded database in .+ \(only the first start does; it takes a few seconds\)…$/,
      /^database opened$/,
      /^applying \d+ migrations…$/,
      /^migrations applied$/,
      /^Portico is ready in \d+\.\d s: API http:\/\/127\.0\.0\.1:\d+ {2}· {2}docs http:\/\/127\.0\.0\.1:\d+\/docs$/,
    ];
    const found = steps.map((step) => messages.findIndex((message) => step.test(message)));
    expect(
      found.every((index) => index >= 0),
      messages.join('\n'),
    ).toBe(true);
    expect([...found].sort((a, b) => a - b)).toEqual(found);
    // These processes run with NODE_ENV=production: without SMTP_URL the operator learns that no mail leaves.
    expect(messages).toContain('NODE_ENV=production and no SMTP_URL: mails wait in mail.deliveries.dlq');
  });
});

describe('while it runs', () => {
  it('a second start on the same embedded database names the running pid', async () => {
    const { code, lines } = await failure({ env: { DATA_DIR: dataDir } });
    expect(code).toBe(2);
    expect(lines).toEqual([
      `portico: the embedded database in ${dataDir} is used by a running Portico (pid ${running.pid}): ` +
        'stop it, or set DATA_DIR to start another one beside it',
    ]);
  });

  it('an operator command says what to do instead', async () => {
    const keys = await failure({ args: ['keys', 'list'], env: { DATA_DIR: dataDir }, port: running.port });
    expect(keys.code).toBe(2);
    expect(keys.lines).toHaveLength(1);
    expect(keys.lines[0]).toContain(`used by a running Portico (pid ${running.pid})`);
    expect(keys.lines[0]).toContain(`curl -s ${running.url}/.well-known/jwks.json`);
    const dlq = await failure({ args: ['dlq', 'list', 'users.commands'], env: { DATA_DIR: dataDir } });
    expect(dlq.code).toBe(2);
    expect(dlq.lines).toEqual([
      `portico: the embedded database in ${dataDir} is used by a running Portico (pid ${running.pid}), and PGlite ` +
        `serves one process at a time: stop it (Ctrl-C where it runs, or kill ${running.pid}), run this command, then start it again`,
    ]);
  });

  it('a start on its port says so, and creates nothing', async () => {
    const fresh = untouched();
    const { code, lines } = await failure({ env: { DATA_DIR: fresh }, port: running.port });
    expect(code).toBe(2);
    expect(lines).toEqual([`portico: port ${running.port} is in use: stop the other process or set PORT`]);
    expect(existsSync(fresh)).toBe(false);
  });
});

describe('mistakes found before anything is written', () => {
  let blocker: Server;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => blocker.close(resolve)));

  it('a port another program holds', async () => {
    const fresh = untouched();
    const { port } = blocker.address() as { port: number };
    const { code, lines } = await failure({ env: { DATA_DIR: fresh }, port });
    expect({ code, lines }).toEqual({
      code: 2,
      lines: [`portico: port ${port} is in use: stop the other process or set PORT`],
    });
    expect(existsSync(fresh)).toBe(false);
  });

  it.each([
    ['short', 'must be at least 12 characters'],
    ['password1234', 'is too common'],
  ])('a bootstrap password the policy refuses (%s): before the database exists', async (password, reason) => {
    const fresh = untouched();
    const { code, lines } = await failure({ env: { DATA_DIR: fresh, PORTICO_ADMIN_PASSWORD: password } });
    expect(code).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^portico: PORTICO_ADMIN_PASSWORD ${reason}: the bootstrap administrator needs`),
    );
    expect(existsSync(fresh), 'no database directory').toBe(false);
  });

  it('NODE_ENV=production without ENCRYPTION_KEYS: no key derived from the configuration', async () => {
    const fresh = untouched();
    const { code, lines } = await failure({ env: { DATA_DIR: fresh, ENCRYPTION_KEYS: '' } });
    expect({ code, lines }).toEqual({
      code: 2,
      lines: [
        'portico: ENCRYPTION_KEYS is unset: with NODE_ENV=production every role needs it (the same value in each; `openssl rand -base64 32`)',
      ],
    });
    expect(existsSync(fresh)).toBe(false);
  });

  it('a DATABASE_URL nothing answers on, without its password', async () => {
    const port = await closedPort();
    const { code, lines } = await failure({
      env: { DATABASE_URL: `postgres://portico:s3cret@127.0.0.1:${port}/portico` },
    });
    expect(code).toBe(2);
    expect(lines).toEqual([
      `portico: cannot use PostgreSQL at 127.0.0.1:${port} (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:${port}; ` +
        'start it, or correct DATABASE_URL',
    ]);
  });

  it('the same for an operator command: keys on PostgreSQL, dead letters on RabbitMQ', async () => {
    const port = await closedPort();
    const keys = await failure({
      args: ['keys', 'list'],
      env: { DATABASE_URL: `postgres://p:s3cret@127.0.0.1:${port}/p` },
    });
    expect(keys).toEqual({
      code: 2,
      lines: [
        `portico: cannot use PostgreSQL at 127.0.0.1:${port} (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:${port}; ` +
          'start it, or correct DATABASE_URL',
      ],
    });
    const dlq = await failure({
      args: ['dlq', 'list', 'users.commands'],
      env: { AMQP_URL: `amqp://p:s3cret@127.0.0.1:${port}` },
    });
    expect(dlq.code).toBe(2);
    expect(dlq.lines).toEqual([
      expect.stringMatching(/^portico: cannot use RabbitMQ at 127\.0\.0\.1:\d+ \(AMQP_URL\): /),
    ]);
  });

  it('an AMQP_URL nothing answers on, before the embedded database is created', async () => {
    const port = await closedPort();
    const fresh = untouched();
    const { code, lines } = await failure({
      env: { DATA_DIR: fresh, AMQP_URL: `amqp://portico:s3cret@127.0.0.1:${port}` },
    });
    expect(code).toBe(2);
    expect(lines).toEqual([
      `portico: cannot use RabbitMQ at 127.0.0.1:${port} (AMQP_URL): connect ECONNREFUSED 127.0.0.1:${port}; ` +
        'start it, or correct AMQP_URL',
    ]);
    expect(existsSync(fresh)).toBe(false);
  });
});
