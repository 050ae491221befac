import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing } from '../../src/platform/observability/tracing/sdk.js';
import type { Tracing } from '../../src/platform/observability/tracing/tracing.js';
import { eventually } from '../support/async.js';
import { login, newUserBody, startTestService, TEST_ADMIN, type TestService } from '../support/test-service.js';

type Line = Record<string, unknown> & { msg?: string; component?: string };

const HEX32 = /^[\da-f]{32}$/;
const HEX16 = /^[\da-f]{16}$/;

/** Sends a create-user command without waiting: 202 and its command id. */
async function createUser(service: TestService, n: string, headers: Record<string, string>): Promise<string> {
  const response = await fetch(`${service.url}/api/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${service.adminToken}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(newUserBody(n)),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { commandId: string }).commandId;
}

describe('structured logs with tracing on: request, command, event and trace ids', () => {
  const logLines: string[] = [];
  const lines = (): Line[] => logLines.map((line) => JSON.parse(line) as Line);
  let tracing: Tracing;
  let service: TestService;

  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'portico-test', role: 'start', exporter: new InMemorySpanExporter() });
    service = await startTestService('pglite', {}, { logLines, tracing });
  });
  afterAll(async () => {
    await service?.stop();
    await tracing?.shutdown();
  });

  it('joins the request line, the worker, the relay and the projector by correlationId and trace_id', async () => {
    const requestId = 'log-test-request-1';
    const commandId = await createUser(service, 'logged', { 'x-request-id': requestId });

    const worker = await eventually(() =>
      lines().find((l) => l.component === 'worker' && l.msg === 'command processed' && l.commandId === commandId),
    );
    expect(worker).toMatchObject({ correlationId: requestId, commandId, command: 'users.create_user' });
    expect(worker.trace_id).toMatch(HEX32);
    expect(worker.span_id).toMatch(HEX16);
    const traceId = worker.trace_id;

    // What the command bus logs inside the handler gets the same ids without passing them.
    const handled = lines().find((l) => l.msg === 'command handled' && l.commandId === commandId);
    expect(handled).toMatchObject({ correlationId: requestId, trace_id: traceId });

    const request = lines().find((l) => l.msg === 'request completed' && l.requestId === requestId);
    expect(request).toMatchObject({ route: '/api/v1/users', status: 202, trace_id: traceId });

    const relayed = await eventually(() =>
      lines().find((l) => l.component === 'relay' && l.msg === 'event published' && l.correlationId === requestId),
    );
    expect(relayed).toMatchObject({ type: 'users.user.created', trace_id: traceId });
    expect(relayed.eventId).toEqual(expect.any(String));

    const projected = await eventually(() =>
      lines().find((l) => l.component === 'projector' && l.msg === 'event projected' && l.eventId === relayed.eventId),
    );
    expect(projected).toMatchObject({ correlationId: requestId, trace_id: traceId, outcome: 'applied' });
    expect(projected.span_id).toMatch(HEX16);
    expect(projected.span_id).not.toBe(worker.span_id);
  });

  it('redacts passwords, tokens and the Authorization header from every line', async () => {
    const password = 'redaction-check-passphrase-2718';
    const fakeBearer = 'not-a-real-token-3f9a1c';
    const registered = await fetch(`${service.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'wait=10' },
      body: JSON.stringify(newUserBody('redacted', { password })),
    });
    expect(registered.status).toBe(201);
    const tokens = await login(service.url, 'personredacted@example.com', password);
    const refreshed = await fetch(`${service.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: tokens.refreshToken }),
    });
    expect(refreshed.status).toBe(200);
    const wrongLogin = await fetch(`${service.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'personredacted@example.com', password: `${password}-wrong` }),
    });
    expect(wrongLogin.status).toBe(401);
    const refused = await fetch(`${service.url}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${fakeBearer}` },
    });
    expect(refused.status).toBe(401);
    const withCookie = await fetch(`${service.url}/api/v1/users/not-a-uuid`, {
      headers: { authorization: `Bearer ${tokens.accessToken}`, cookie: 'session=cookie-secret-55' },
    });
    expect(withCookie.status).toBeGreaterThanOrEqual(400);

    // Code that logs a whole object by mistake: the logger itself removes what is secret.
    const logger = service.runtime.logger;
    const logged = {
      password: 'direct-password-1',
      currentPassword: 'direct-password-2',
      newPassword: 'direct-password-3',
      refreshToken: 'direct-refresh-token',
      accessToken: 'direct-access-token',
      token: 'direct-token',
      authorization: 'Bearer direct-authorization',
      headers: { authorization: 'Bearer direct-header', cookie: 'direct-cookie', 'set-cookie': 'direct-set-cookie' },
      req: { headers: { authorization: 'Bearer direct-req-header' } },
      body: { password: 'direct-body-password', refreshToken: 'direct-body-refresh' },
      user: { passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$direct-hash' },
    };
    logger.info({ ...logged, email: 'kept@example.com' }, 'direct secrets');
    logger.child({ component: 'probe' }).warn({ tokens, adminPassword: TEST_ADMIN.password }, 'child secrets');

    const direct = lines().find((l) => l.msg === 'direct secrets')!;
    expect(direct).toMatchObject({ ...everyValueRedacted(logged), email: 'kept@example.com' });
    expect(lines().find((l) => l.msg === 'child secrets')).toMatchObject({
      tokens: { accessToken: '[redacted]', refreshToken: '[redacted]' },
      adminPassword: '[redacted]',
    });

    const secrets = [
      password,
      TEST_ADMIN.password,
      tokens.accessToken,
      tokens.refreshToken,
      service.adminToken,
      fakeBearer,
      'cookie-secret-55',
      '$argon2id$',
      ...[
        'direct-password-1',
        'direct-password-2',
        'direct-password-3',
        'direct-refresh-token',
        'direct-access-token',
        'direct-token',
        'direct-authorization',
        'direct-header',
        'direct-cookie',
        'direct-set-cookie',
        'direct-req-header',
        'direct-body-password',
        'direct-body-refresh',
      ],
    ];
    expect(logLines.length).toBeGreaterThan(20);
    const all = logLines.join('\n');
    for (const secret of secrets) expect(all).not.toContain(secret);
    // The refused requests were logged, just without what they carried.
    expect(
      lines().some((l) => l.msg === 'request completed' && l.route === '/api/v1/auth/me' && l.status === 401),
    ).toBe(true);
  });
});

describe('structured logs with tracing off', () => {
  const logLines: string[] = [];
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService('pglite', {}, { logLines });
  });
  afterAll(() => service?.stop());

  it('still joins lines by correlationId and commandId, and by the trace id the caller sent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const commandId = await createUser(service, 'untraced', {
      'x-request-id': 'log-test-request-2',
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    const worker = await eventually(() =>
      logLines
        .map((line) => JSON.parse(line) as Line)
        .find((l) => l.component === 'worker' && l.msg === 'command processed' && l.commandId === commandId),
    );
    expect(worker).toMatchObject({ correlationId: 'log-test-request-2', commandId, trace_id: traceId });
    // No span of this service exists, so no span id is claimed.
    expect(worker.span_id).toBeUndefined();
  });
});

describe('NODE_ENV=development', () => {
  it('prints pretty, human-readable lines (pino-pretty), still redacted', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const script = `
      import { createLogger } from './src/platform/logging/logger.ts';
      import { loadConfig } from './src/apps/config/config.ts';
      const config = loadConfig({ NODE_ENV: 'development' });
      const logger = createLogger({ level: config.logLevel, pretty: config.prettyLogs });
      logger.info({ component: 'probe', password: 'pretty-secret' }, 'pretty line');
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
        timeout: 20_000,
      },
    );
    expect(stdout).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: pretty line$/m);
    expect(stdout).toContain('component: "probe"');
    expect(stdout).toContain('password: "[redacted]"');
    expect(stdout).not.toContain('pretty-secret');
    expect(stdout).not.toMatch(/^\{/m);
  });
});

/** The same shape with every leaf replaced by pino's censor: what the line must hold instead. */
function everyValueRedacted(value: object): object {
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      typeof inner === 'object' && inner !== null ? everyValueRedacted(inner as object) : '[redacted]',
    ]),
  );
}
