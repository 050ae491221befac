import type { AmqpResult, AmqpRun } from '../children/amqp-baseline.js';
import type { Argon2Result, Argon2Run } from '../children/argon2-baseline.js';
import { startChild } from './child.js';
import { measureChild, runLoad } from './measure.js';
import { singleProcess, type ProcessGroup } from './proc.js';
import type { ScenarioResult } from './results.js';
import { CONCURRENCY, fromLoad, record, type BenchContext } from './scenarios.js';

/** What the machine does with nothing of Portico in the way: the baselines the ratios divide by. */

/** A bare Fastify route, or (with `database`) the same route running the read model's SELECT. */
export async function fastifyBaseline(
  ctx: BenchContext,
  database: { url: string; group: ProcessGroup; userId: string } | null,
): Promise<ScenarioResult> {
  const server = startChild('fastify-baseline.ts', database ? { BENCH_BASELINE_DATABASE_URL: database.url } : {});
  try {
    const url = String((await server.next('ready', 60_000)).url);
    const path = database ? `/users/${database.userId}` : '/json';
    const measured = await runLoad(
      {
        url,
        connections: CONCURRENCY.http,
        durationSeconds: ctx.durationSeconds,
        warmupSeconds: ctx.warmupSeconds,
        requests: { kind: 'cycle', method: 'GET', headers: {}, items: [{ path }] },
      },
      [singleProcess('fastify', server.pid), ...(database ? [database.group] : [])],
      ctx.progress,
    );
    return record(
      ctx,
      database
        ? fromLoad(
            'baseline-pg',
            'baseline-pg',
            'Fastify + pg: SELECT user_views by id',
            'bare Fastify, pg pool of 10',
            'req/s',
            measured,
            `${CONCURRENCY.http} conn`,
          )
        : fromLoad(
            'baseline-fastify',
            'baseline-fastify',
            'Fastify: GET returning JSON',
            'bare Fastify',
            'req/s',
            measured,
            `${CONCURRENCY.http} conn`,
          ),
    );
  } finally {
    await server.stop();
  }
}

/** One pg transaction with the writes of a refresh, on bare Fastify: what a rotation costs the database. */
export async function refreshBaseline(
  ctx: BenchContext,
  database: { url: string; group: ProcessGroup },
  sessions: number,
): Promise<ScenarioResult> {
  const server = startChild('fastify-baseline.ts', {
    BENCH_BASELINE_DATABASE_URL: database.url,
    BENCH_BASELINE_SESSIONS: String(sessions),
  });
  try {
    const ready = await server.next('ready', 60_000);
    const measured = await runLoad(
      {
        url: String(ready.url),
        connections: CONCURRENCY.http,
        durationSeconds: ctx.durationSeconds,
        warmupSeconds: ctx.warmupSeconds,
        requests: { kind: 'refresh-chain', path: '/refresh', tokens: ready.refreshTokens as string[] },
      },
      [singleProcess('fastify', server.pid), database.group],
      ctx.progress,
    );
    return record(
      ctx,
      fromLoad(
        'baseline-refresh',
        'baseline-refresh',
        'Fastify + pg: one transaction with the writes of a refresh',
        'bare Fastify, pg pool of 10',
        'refreshes/s',
        measured,
        `${CONCURRENCY.http} conn, ${sessions} sessions`,
      ),
    );
  } finally {
    await server.stop();
  }
}

export async function argon2Baseline(ctx: BenchContext, operation: 'hash' | 'verify'): Promise<ScenarioResult> {
  const run: Argon2Run = {
    operation,
    durationSeconds: ctx.durationSeconds,
    warmupSeconds: Math.min(ctx.warmupSeconds, 1),
  };
  const measured = await measureChild<Argon2Result>({
    file: 'argon2-baseline.ts',
    label: 'argon2',
    message: { ...run },
    groups: [],
    progress: ctx.progress,
    durationSeconds: ctx.durationSeconds,
  });
  const r = measured.result;
  const { memoryCost, timeCost, parallelism } = r.parameters;
  return record(ctx, {
    id: `baseline-argon2-${operation}`,
    scenario: 'baseline-argon2',
    title: `argon2id ${operation} (m=${memoryCost}, t=${timeCost}, p=${parallelism})`,
    setup: '@node-rs/argon2',
    unit: `${operation}/s`,
    rate: r.opsPerSecond,
    latencyMs: { p50: r.latencyMs.p50, p99: r.latencyMs.p99 },
    durationSeconds: r.durationSeconds,
    concurrency: `${r.concurrency} at once`,
    failures: { count: 0, samples: [] },
    processes: measured.processes,
    loadAverage1m: measured.loadAverage1m,
    windowMicros: measured.windowMicros,
    details: { ops: r.ops, parameters: r.parameters },
  });
}

export async function amqpBaseline(
  ctx: BenchContext,
  amqpUrl: string,
  rabbitmq: ProcessGroup,
): Promise<ScenarioResult> {
  const run: AmqpRun = {
    amqpUrl,
    durationSeconds: ctx.durationSeconds,
    warmupSeconds: ctx.warmupSeconds,
    window: CONCURRENCY.amqpWindow,
    prefetch: CONCURRENCY.amqpPrefetch,
  };
  const measured = await measureChild<AmqpResult>({
    file: 'amqp-baseline.ts',
    label: 'amqplib',
    message: { ...run },
    groups: [rabbitmq],
    progress: ctx.progress,
    durationSeconds: ctx.durationSeconds,
  });
  const r = measured.result;
  return record(ctx, {
    id: 'baseline-amqp',
    scenario: 'baseline-amqp',
    title: 'RabbitMQ: publish with confirm + consume, one quorum queue',
    setup: `amqplib, ${r.messageBytes} B messages`,
    unit: 'msg/s',
    rate: r.consumedPerSecond,
    latencyMs: { p50: r.endToEndLatencyMs.p50, p99: r.endToEndLatencyMs.p99 },
    durationSeconds: r.durationSeconds,
    concurrency: `${r.window} in flight, prefetch ${r.prefetch}`,
    failures: { count: 0, samples: [] },
    processes: measured.processes,
    loadAverage1m: measured.loadAverage1m,
    windowMicros: measured.windowMicros,
    details: {
      publishedPerSecond: r.publishedPerSecond,
      confirmLatencyMs: r.confirmLatencyMs,
      publishToConsumeMs: r.endToEndLatencyMs,
    },
  });
}
