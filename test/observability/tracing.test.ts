import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UserViewsProjector } from '../../src/contexts/users/infrastructure/projection/user-views.projector.js';
import { CommandProcessor } from '../../src/platform/messaging/command-processor.js';
import type { Delivery } from '../../src/platform/messaging/message.js';
import { startTracing } from '../../src/platform/observability/tracing/sdk.js';
import { summarizeStatement } from '../../src/platform/observability/tracing/traced-sql.js';
import type { Tracing } from '../../src/platform/observability/tracing/tracing.js';
import { eventually, quietPeriod } from '../support/async.js';
import { postgresAvailable } from '../support/postgres.js';
import { rabbitmqAvailable } from '../support/rabbitmq.js';
import { newUserBody, startTestService, type Engine, type TestService } from '../support/test-service.js';

const id = (span: ReadableSpan) => span.spanContext().spanId;
const traceOf = (span: ReadableSpan) => span.spanContext().traceId;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const traceparentOf = (span: ReadableSpan) => `00-${traceOf(span)}-${id(span)}-01`;

/** The trace as an indented tree: name, kind and, for SQL, the summarized statement. */
function spanTree(spans: readonly ReadableSpan[]): string {
  const byParent = new Map<string | undefined, ReadableSpan[]>();
  const ids = new Set(spans.map(id));
  for (const span of spans) {
    const parent = parentOf(span) !== undefined && ids.has(parentOf(span)!) ? parentOf(span) : undefined;
    byParent.set(parent, [...(byParent.get(parent) ?? []), span]);
  }
  const started = (a: ReadableSpan, b: ReadableSpan) =>
    a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1];
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of [...(byParent.get(parent) ?? [])].sort(started)) {
      const ms = (span.duration[0] * 1e3 + span.duration[1] / 1e6).toFixed(1);
      const queue = span.attributes['messaging.destination.name'];
      const detail = span.kind === SpanKind.CONSUMER && typeof queue === 'string' ? `  queue=${queue}` : '';
      lines.push(`${'  '.repeat(depth)}${span.name} [${SpanKind[span.kind]}] ${ms} ms${detail}`);
      walk(id(span), depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join('\n');
}

const postgresUp = await postgresAvailable();
const rabbitmqUp = postgresUp && (await rabbitmqAvailable());
const exporter = new InMemorySpanExporter();
let tracing: Tracing;

beforeAll(() => {
  tracing = startTracing({ serviceName: 'portico-test', role: 'start', exporter });
});
afterAll(async () => {
  await tracing?.shutdown();
});

/** PGlite with the embedded queue always; PostgreSQL, and PostgreSQL + RabbitMQ, when they answer. */
const ENGINES: readonly { engine: Engine; up: boolean }[] = [
  { engine: 'pglite', up: true },
  { engine: 'postgres', up: postgresUp },
  { engine: 'rabbitmq', up: rabbitmqUp },
];

describe.each(ENGINES)('one trace from the HTTP request to the read model [$engine]', ({ engine, up }) => {
  let service: TestService;

  beforeAll(async () => {
    if (up) service = await startTestService(engine, {}, { tracing });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await service?.stop();
  });

  it.skipIf(!up)(
    'covers request → publish → worker → SQL → outbox → relay → projector, with W3C headers on the messages',
    async () => {
      const commandDeliveries: Delivery[] = [];
      const eventDeliveries: Delivery[] = [];
      const processing = CommandProcessor.prototype.process;
      vi.spyOn(CommandProcessor.prototype, 'process').mockImplementation(function (this: CommandProcessor, delivery) {
        commandDeliveries.push(delivery);
        return processing.call(this, delivery);
      });
      const projecting = UserViewsProjector.prototype.handle;
      vi.spyOn(UserViewsProjector.prototype, 'handle').mockImplementation(function (
        this: UserViewsProjector,
        delivery,
      ) {
        eventDeliveries.push(delivery);
        return projecting.call(this, delivery);
      });
      exporter.reset();

      // The caller's own trace: the service continues it rather than starting one.
      const callerTraceId = randomBytes(16).toString('hex');
      const callerSpanId = randomBytes(8).toString('hex');
      const response = await fetch(`${service.url}/api/v1/users`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${service.adminToken}`,
          'content-type': 'application/json',
          prefer: 'wait=10',
          traceparent: `00-${callerTraceId}-${callerSpanId}-01`,
          tracestate: 'caller=1',
        },
        body: JSON.stringify(newUserBody(`traced-${engine}`)),
      });
      expect(response.status).toBe(201);
      const user = (await response.json()) as { id: string };

      const inTrace = () => exporter.getFinishedSpans().filter((s) => traceOf(s) === callerTraceId);
      const find = (name: string, kind: SpanKind, attribute?: [string, string], among = inTrace()) =>
        among.find(
          (s) => s.name === name && s.kind === kind && (!attribute || s.attributes[attribute[0]] === attribute[1]),
        );
      // The projector's span ends just after its commit, which the waiting request may beat; and
      // another consumer of the event (auth's sign-ups) may have exported its first statements
      // while its own span is still open. So wait for a trace with the projector and no orphan.
      const complete = (spans: readonly ReadableSpan[]) => {
        const ids = new Set(spans.map(id));
        return spans.filter((s) => !ids.has(parentOf(s) ?? '')).length === 1;
      };
      const spans = await eventually(() => {
        const current = inTrace();
        const projected = find(
          'process users.user.created',
          SpanKind.CONSUMER,
          ['messaging.destination.name', 'read-model.user-views'],
          current,
        );
        return projected && complete(current) ? current : undefined;
      }, 5_000);
      console.log(`[${engine}] span tree of trace ${callerTraceId} (${spans.length} spans):\n${spanTree(spans)}`);

      const server = find('POST /api/v1/users', SpanKind.SERVER, undefined, spans);
      const sendCommand = find('publish users.commands', SpanKind.PRODUCER, undefined, spans);
      const worker = find('process users.create_user', SpanKind.CONSUMER, undefined, spans);
      const relayPublish = find('publish users.user.created', SpanKind.PRODUCER, undefined, spans);
      const projector = find(
        'process users.user.created',
        SpanKind.CONSUMER,
        ['messaging.destination.name', 'read-model.user-views'],
        spans,
      );
      for (const span of [server, sendCommand, worker, relayPublish, projector]) expect(span).toBeDefined();

      // HTTP: the server span continues the caller's traceparent.
      expect(parentOf(server!)).toBe(callerSpanId);
      expect(server!.attributes['http.route']).toBe('/api/v1/users');
      expect(server!.attributes['http.response.status_code']).toBe(201);

      // API → queue: the command's send span lies under the request span.
      const byId = new Map(spans.map((s) => [id(s), s]));
      const ancestors = (span: ReadableSpan): string[] => {
        const chain: string[] = [];
        for (let p = parentOf(span); p && byId.has(p); p = parentOf(byId.get(p)!)) chain.push(p);
        return chain;
      };
      expect(ancestors(sendCommand!)).toContain(id(server!));
      expect(sendCommand!.attributes['messaging.message.id']).toBe(commandDeliveries[0]?.messageId);

      // The queued command carried the send span's context in its W3C headers, and the worker's
      // CONSUMER span was opened from exactly that context.
      expect(commandDeliveries).toHaveLength(1);
      expect(commandDeliveries[0]!.headers.traceparent).toBe(traceparentOf(sendCommand!));
      expect(commandDeliveries[0]!.headers.tracestate).toBe('caller=1');
      expect(parentOf(worker!)).toBe(id(sendCommand!));

      // SQL: statements inside the worker's transaction are CLIENT spans under its span, with the
      // statement summarized and no parameter values.
      const workerSql = spans.filter((s) => parentOf(s) === id(worker!) && s.attributes['db.system'] === 'postgresql');
      expect(workerSql.map((s) => s.name)).toEqual(
        expect.arrayContaining(['INSERT messaging.inbox', 'INSERT users.users', 'INSERT messaging.outbox']),
      );
      for (const span of spans.filter((s) => s.attributes['db.system'] === 'postgresql')) {
        expect(span.kind).toBe(SpanKind.CLIENT);
        const statement = String(span.attributes['db.statement']);
        expect(statement).not.toContain('person');
        expect(statement).not.toContain('compiler-pioneer');
        expect(statement).not.toContain('$argon2');
      }

      // Outbox: the event stores the worker span's context, not the caller's raw header.
      const outbox = await service.runtime.database.query<{ metadata: { traceparent?: string; tracestate?: string } }>(
        sql`select metadata from messaging.outbox where aggregate_id = ${user.id} and type = 'users.user.created'`,
      );
      expect(outbox.rows[0]?.metadata.traceparent).toBe(traceparentOf(worker!));
      expect(outbox.rows[0]?.metadata.tracestate).toBe('caller=1');

      // Relay: its publish span is a child of that stored context; the event carries the publish span's.
      expect(parentOf(relayPublish!)).toBe(id(worker!));
      const event = eventDeliveries.find(
        (d) => d.type === 'users.user.created' && d.headers['aggregate-id'] === user.id,
      );
      expect(event?.headers.traceparent).toBe(traceparentOf(relayPublish!));

      // Projector: its CONSUMER span continues from the event's headers.
      expect(parentOf(projector!)).toBe(id(relayPublish!));
      expect(spans.some((s) => parentOf(s) === id(projector!) && s.name === 'INSERT read.user_views')).toBe(true);

      // Every span is in the one trace, and every span but the server span has its parent in it.
      expect(new Set(spans.map(traceOf))).toEqual(new Set([callerTraceId]));
      expect(spans.filter((s) => !byId.has(parentOf(s) ?? '')).map((s) => s.name)).toEqual(['POST /api/v1/users']);
    },
  );

  it.skipIf(!up)('starts a trace of its own when the request brings none, and opens no trace for polling', async () => {
    exporter.reset();
    const response = await fetch(`${service.url}/api/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${service.adminToken}`, 'content-type': 'application/json', prefer: 'wait=10' },
      body: JSON.stringify(newUserBody(`untraced-caller-${engine}`)),
    });
    expect(response.status).toBe(201);
    const server = exporter.getFinishedSpans().find((s) => s.name === 'POST /api/v1/users');
    expect(server?.parentSpanContext).toBeUndefined();
    const projected = await eventually(
      // The projector's: another consumer of the event (auth's sign-ups) may still be finishing
      // the previous test's user after the reset, in that user's trace.
      () =>
        exporter
          .getFinishedSpans()
          .find(
            (s) =>
              s.name === 'process users.user.created' &&
              s.attributes['messaging.destination.name'] === 'read-model.user-views',
          ),
      5_000,
    );
    expect(traceOf(projected)).toBe(traceOf(server!));
    // The queue's leases and the relay's polls ran all along (several poll intervals here), yet
    // no statement outside a traced piece of work opened a trace of its own.
    await quietPeriod();
    const orphans = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT && !s.parentSpanContext);
    expect(orphans.map((s) => s.name)).toEqual([]);
  });
});

describe('SQL statement summaries', () => {
  it('names the operation and table and keeps no literal values', () => {
    expect(summarizeStatement('insert into "users"."users" ("id", "email") values ($1, $2)')).toMatchObject({
      name: 'INSERT users.users',
      operation: 'INSERT',
      table: 'users.users',
    });
    expect(
      summarizeStatement('\n  update messaging.outbox set published_at = now()\n where position in ($1)').name,
    ).toBe('UPDATE messaging.outbox');
    expect(summarizeStatement('select "id" from "read"."user_views" where "email" = $1').name).toBe(
      'SELECT read.user_views',
    );
    expect(summarizeStatement('begin').name).toBe('BEGIN');
    const literal = summarizeStatement("select * from auth.sessions where note = 'my secret' and id = $1");
    expect(literal.statement).toBe("select * from auth.sessions where note = '?' and id = $1");
    expect(summarizeStatement(`select ${'x, '.repeat(400)} 1`).statement.length).toBeLessThanOrEqual(501);
  });
});
