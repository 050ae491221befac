import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withMetricsEndpoint } from '../../src/apps/metrics-endpoint.js';
import { createRuntime, type Runtime } from '../../src/apps/runtime.js';
import { startConsumers } from '../../src/apps/consumers.js';
import { TEST_CONTEXTS } from '../support/contexts.js';
import { CommandBus, type Command } from '../../src/shared/application/command-bus.js';
import { QueryBus } from '../../src/shared/application/query-bus.js';
import { DomainError } from '../../src/shared/domain/domain-error.js';
import { ConfigError, loadConfig } from '../../src/apps/config/config.js';
import { meteredCommands, meteredQueries } from '../../src/platform/observability/metrics/bus-metrics.js';
import { startMetricsServer } from '../../src/platform/observability/metrics/metrics-server.js';
import { Metrics } from '../../src/platform/observability/metrics/metrics.js';
import { timed } from '../../src/platform/observability/metrics/timed.js';
import { newUserBody, startTestService, type TestService } from '../support/test-service.js';

/** The names issue 5 asks for (auth_attempts_total and jwt_tokens_issued_total come with auth metrics). */
const REQUIRED = [
  'http_requests_total',
  'http_request_duration_seconds',
  'http_requests_in_progress',
  'command_processing_total',
  'command_processing_duration_seconds',
  'query_processing_total',
  'user_operations_total',
  'db_operation_duration_seconds',
  'db_operations_total',
  'db_connections_active',
  'messages_published_total',
  'messages_consumed_total',
  'queue_depth',
  'dlq_depth',
  'outbox_pending',
  'outbox_oldest_pending_age_seconds',
  'projection_lag_seconds',
  'projection_position',
  'application_errors_total',
  'auth_attempts_total',
  'jwt_tokens_issued_total',
] as const;

/** A few of prom-client's default process metrics, standing for the whole set. */
const PROCESS = ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds'];

/** `name{labels} value` lines of one metric, labels as an object. */
function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const match = /^[^{\s]+(?:\{(.*)\})?\s+(\S+)$/.exec(line)!;
      const labels = Object.fromEntries(
        [...(match[1] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { labels, value: Number(match[2]) };
    });
}

async function json(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('GET /metrics on the API', () => {
  let first: TestService;
  let second: TestService;
  let text: string;
  let contentType: string | null;
  let userId: string;

  beforeAll(async () => {
    // Two services in one process: each has its own registry, so nothing is registered twice.
    [first, second] = await Promise.all([startTestService('pglite'), startTestService('pglite')]);
    const created = await json(`${first.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'wait=10', authorization: `Bearer ${first.adminToken}` },
      body: JSON.stringify(newUserBody('metrics')),
    });
    expect(created.status).toBe(201);
    userId = String(created.body.id);
    const asAdmin = { headers: { authorization: `Bearer ${first.adminToken}` } };
    expect((await fetch(`${first.url}/api/v1/users/${userId}`, asAdmin)).status).toBe(200);
    expect((await fetch(`${first.url}/api/v1/users/01900000-0000-7000-8000-000000000000`, asAdmin)).status).toBe(404);
    await fetch(`${first.url}/metrics`);
    const response = await fetch(`${first.url}/metrics`);
    expect(response.status).toBe(200);
    contentType = response.headers.get('content-type');
    text = await response.text();
    // Two services starting at once on a busy CI machine can take longer than the default hook limit.
  }, 150_000);


  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('answers in the Prometheus text format', () => {
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it.each([...REQUIRED, ...PROCESS])('exposes %s', (name) => {
    expect(text).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'));
  });

  it('labels HTTP metrics with the route template, never the raw path, and leaves scrapes out', () => {
    const requests = samples(text, 'http_requests_total');
    expect(requests).toContainEqual({
      labels: { method: 'GET', route: '/api/v1/users/:id', status_code: '200' },
      value: 1,
    });
    expect(requests).toContainEqual({
      labels: { method: 'GET', route: '/api/v1/users/:id', status_code: '404' },
      value: 1,
    });
    expect(text).not.toContain(userId);
    expect(requests.some((s) => s.labels.route === '/metrics')).toBe(false);
    expect(samples(text, 'http_requests_in_progress')).toEqual([{ labels: {}, value: 0 }]);
  });

  it('counts the command, the queries and the user operations through the bus middleware', () => {
    expect(samples(text, 'command_processing_total')).toContainEqual({
      labels: { command: 'users.create_user', status: 'success' },
      value: 1,
    });
    expect(samples(text, 'query_processing_total')).toEqual(
      expect.arrayContaining([
        { labels: { query: 'users.get_user', status: 'success' }, value: 1 },
        { labels: { query: 'users.get_user', status: 'rejected' }, value: 1 },
      ]),
    );
    expect(samples(text, 'user_operations_total')).toContainEqual({
      labels: { operation: 'create_user', status: 'success' },
      value: 1,
    });
    expect(samples(text, 'application_errors_total')).toEqual(
      expect.arrayContaining([
        { labels: { component: 'query', code: 'not_found' }, value: 1 },
        { labels: { component: 'http', code: 'not_found' }, value: 1 },
      ]),
    );
  });

  it('counts storage operations by adapter method, table and outcome, and the connections in use', () => {
    expect(samples(text, 'db_operations_total')).toContainEqual({
      labels: { operation: 'insert', table: 'users.users', status: 'success' },
      value: expect.any(Number),
    });
    const [connections] = samples(text, 'db_connections_active');
    expect(connections?.value).toBeGreaterThanOrEqual(0);
    expect(connections?.value).toBeLessThanOrEqual(1);
  });

  it('times storage operations by adapter method and table', () => {
    const counts = samples(text, 'db_operation_duration_seconds_count').map(
      (s) => `${s.labels.table} ${s.labels.operation}`,
    );
    expect(counts).toEqual(
      expect.arrayContaining([
        'users.users insert',
        'messaging.outbox append',
        'messaging.inbox claim',
        'messaging.command_status insertPending',
        'messaging.queue_messages send',
        'read.user_views findById',
      ]),
    );
  });

  it('counts sign-ins and the access tokens they issued (the harness logged the admin in)', () => {
    expect(samples(text, 'auth_attempts_total')).toContainEqual({ labels: { status: 'success' }, value: 1 });
    expect(samples(text, 'jwt_tokens_issued_total')).toEqual([{ labels: {}, value: 1 }]);
    expect(samples(text, 'auth_logins_total')).toEqual([{ labels: { amr: 'pwd' }, value: 1 }]);
  });

  it('reports messaging, outbox and projection state', () => {
    // Events: the bootstrapped admin's creation and login (the harness signs in), then the user's creation.
    expect(samples(text, 'messages_published_total')).toEqual(
      expect.arrayContaining([
        { labels: { destination: 'users.commands', status: 'ok' }, value: 1 },
        { labels: { destination: 'events', status: 'ok' }, value: 3 },
      ]),
    );
    expect(samples(text, 'messages_consumed_total')).toEqual(
      expect.arrayContaining([
        { labels: { queue: 'users.commands', status: 'ack' }, value: 1 },
        { labels: { queue: 'read-model.user-views', status: 'ack' }, value: 2 },
      ]),
    );
    for (const name of ['queue_depth', 'dlq_depth']) {
      expect(samples(text, name).map((s) => s.labels.queue)).toEqual(
        expect.arrayContaining(['read-model.user-views', 'users.commands']),
      );
    }
    expect(samples(text, 'outbox_pending')).toHaveLength(1);
    expect(samples(text, 'outbox_oldest_pending_age_seconds')[0]!.value).toBeGreaterThanOrEqual(0);
    expect(samples(text, 'projection_position')).toEqual([{ labels: { projection: 'user-views' }, value: 3 }]);
    const [lag] = samples(text, 'projection_lag_seconds');
    expect(lag?.labels).toEqual({ projection: 'user-views' });
    expect(lag!.value).toBeGreaterThanOrEqual(0);
    expect(lag!.value).toBeLessThan(30);
  });

  it('keeps each service’s numbers apart', async () => {
    const other = await (await fetch(`${second.url}/metrics`)).text();
    expect(samples(other, 'command_processing_total')).toEqual([]);
    // The other service projected only its own bootstrapped admin.
    expect(samples(other, 'projection_position')).toEqual([{ labels: { projection: 'user-views' }, value: 1 }]);
  });
});

describe('the metrics endpoint of a role run without the API', () => {
  let runtime: Runtime;

  beforeAll(async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', METRICS_PORT: '0', HASH_CONCURRENCY: '1' });
    runtime = await createRuntime({ ...config, dataDir: '' }, pino({ level: 'silent' }), { migrate: true });
  });

  afterAll(async () => {
    await runtime?.close();
  });

  it('serves the role’s metrics on METRICS_PORT and nothing else', async () => {
    const worker = await withMetricsEndpoint(runtime, await startConsumers(runtime, { commands: true, events: false }));
    try {
      const response = await fetch(worker.metricsUrl);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      // The worker reports the queue it consumes; the outbox belongs to the relay.
      expect(samples(text, 'queue_depth')).toEqual([{ labels: { queue: 'users.commands' }, value: 0 }]);
      expect(samples(text, 'outbox_pending')).toEqual([]);
      expect(text).toContain('# TYPE process_cpu_seconds_total counter');
      expect((await fetch(worker.metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await worker.stop();
    }
    await expect(fetch(worker.metricsUrl)).rejects.toThrow();
  });
});

describe('METRICS_PORT', () => {
  it('defaults to 9464 and accepts 0 (any free port)', () => {
    expect(loadConfig({}).metricsPort).toBe(9464);
    expect(loadConfig({ METRICS_PORT: '0' }).metricsPort).toBe(0);
  });

  it('rejects a value that is not a port', () => {
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(ConfigError);
  });
});

describe('the bus middleware', () => {
  const refused = new DomainError('email_taken', 'taken');
  const handler = (outcome: 'ok' | 'refuse' | 'crash') => ({
    async handle() {
      if (outcome === 'refuse') throw refused;
      if (outcome === 'crash') throw new Error('boom');
      return { resourceId: 'r', version: 1 };
    },
  });

  it('counts commands by outcome: success, rejected (a DomainError) and error', async () => {
    const metrics = new Metrics();
    const bus = new CommandBus([meteredCommands(metrics, (type) => TEST_CONTEXTS.operationsMetricOf(type))])
      .register('users.create_user', handler('ok'))
      .register('users.update_profile', handler('refuse'))
      .register('other.crash', handler('crash'));
    const run = (type: string) => bus.execute({ type } as Command);
    await run('users.create_user');
    await expect(run('users.update_profile')).rejects.toBe(refused);
    await expect(run('other.crash')).rejects.toThrow('boom');
    const text = await metrics.render();
    expect(samples(text, 'command_processing_total')).toEqual([
      { labels: { command: 'users.create_user', status: 'success' }, value: 1 },
      { labels: { command: 'users.update_profile', status: 'rejected' }, value: 1 },
      { labels: { command: 'other.crash', status: 'error' }, value: 1 },
    ]);
    // Only the users context counts as user operations.
    expect(samples(text, 'user_operations_total')).toEqual([
      { labels: { operation: 'create_user', status: 'success' }, value: 1 },
      { labels: { operation: 'update_profile', status: 'rejected' }, value: 1 },
    ]);
    expect(samples(text, 'application_errors_total')).toEqual([
      { labels: { component: 'command', code: 'email_taken' }, value: 1 },
      { labels: { component: 'command', code: 'unexpected' }, value: 1 },
    ]);
    expect(samples(text, 'command_processing_duration_seconds_count')).toHaveLength(3);
  });

  it('counts queries the same way', async () => {
    const metrics = new Metrics();
    const bus = new QueryBus([meteredQueries(metrics, (type) => TEST_CONTEXTS.operationsMetricOf(type))]).register('users.get_user', {
      handle: async () => ({ id: 'u' }),
    });
    await bus.ask({ type: 'users.get_user' });
    expect(samples(await metrics.render(), 'query_processing_total')).toEqual([
      { labels: { query: 'users.get_user', status: 'success' }, value: 1 },
    ]);
  });
});

describe('timed', () => {
  class Adapter {
    calls: string[] = [];
    async find(): Promise<string> {
      return this.helper();
    }
    async helper(): Promise<string> {
      this.calls.push('helper');
      return 'found';
    }
    async fail(): Promise<never> {
      throw new Error('down');
    }
    get size(): number {
      return this.calls.length;
    }
  }

  it('times each call made through it once, failures included, with the adapter as `this`', async () => {
    const metrics = new Metrics();
    const adapter = timed(metrics, 'some.table', new Adapter());
    await expect(adapter.find()).resolves.toBe('found');
    await expect(adapter.fail()).rejects.toThrow('down');
    expect(adapter.size).toBe(1);
    const counts = samples(await metrics.render(), 'db_operation_duration_seconds_count');
    expect(counts).toEqual([
      { labels: { operation: 'find', table: 'some.table' }, value: 1 },
      { labels: { operation: 'fail', table: 'some.table' }, value: 1 },
    ]);
  });

  it('times only the listed methods when given', async () => {
    const metrics = new Metrics();
    const adapter = timed(metrics, 'some.table', new Adapter(), ['helper']);
    await adapter.find();
    await adapter.helper();
    const counts = samples(await metrics.render(), 'db_operation_duration_seconds_count');
    expect(counts).toEqual([{ labels: { operation: 'helper', table: 'some.table' }, value: 1 }]);
  });
});

describe('startMetricsServer', () => {
  it('reports a port that is taken instead of starting', async () => {
    const metrics = new Metrics();
    const first = await startMetricsServer(metrics, 0, '127.0.0.1');
    try {
      const port = Number(new URL(first.url).port);
      await expect(startMetricsServer(metrics, port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
