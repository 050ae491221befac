import type { AmqpResult, AmqpRun } from '../children/amqp-baseline.js';
import type { Argon2Result, Argon2Run } from '../children/argon2-baseline.js';
import { startChild } from './child.js';
import type { CycleRequests, LoadResult, LoadSpec } from './load-spec.js';
import { measureChild, runLoad, type Measured } from './measure.js';
import {
  login,
  MetricsSnapshot,
  registerUsers,
  timedPatch,
  BENCH_PASSWORD,
  type PorticoProcess,
  type SeededUser,
  type Tokens,
} from './portico.js';
import { singleProcess, type ProcessGroup } from './proc.js';
import type { Progress } from './progress.js';
import type { PipelineDetails, ScenarioResult } from './results.js';
import { monotonicMicros, quantile, sleep, summarize } from './stats.js';

/** Connections (or concurrent operations) per kind of scenario, the same for a scenario and its baseline. */
export const CONCURRENCY = {
  /** Cheap requests: enough to keep a 2-core service busy without queueing for long. */
  http: 16,
  /** Requests that hash: HASH_CONCURRENCY (cores) are computed at once, the rest wait their turn. */
  hashing: 8,
  pipeline: 16,
  /** Outstanding confirms of the broker baseline (like `pipeline` concurrent API requests)… */
  amqpWindow: 16,
  /** …and the consumer's prefetch. */
  amqpPrefetch: 32,
} as const;

export interface BenchContext {
  readonly runId: string;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly progress: Progress;
  readonly results: ScenarioResult[];
}

export function fromLoad(
  id: string,
  scenario: string,
  title: string,
  setup: string,
  unit: string,
  measured: Measured<LoadResult>,
  concurrency: string,
  details?: Record<string, unknown>,
): ScenarioResult {
  const load = measured.result;
  return {
    id,
    scenario,
    title,
    setup,
    unit,
    rate: load.okPerSecond,
    latencyMs: { p50: load.latencyMs.p50, p99: load.latencyMs.p99 },
    durationSeconds: load.durationSeconds,
    concurrency,
    failures: { count: load.requests - load.ok, samples: load.sampleFailures },
    processes: measured.processes,
    loadAverage1m: measured.loadAverage1m,
    windowMicros: measured.windowMicros,
    details: { statusCodes: load.statusCodes, errors: load.errors, timeouts: load.timeouts, ...details },
  };
}

export function record(ctx: BenchContext, result: ScenarioResult): ScenarioResult {
  ctx.results.push(result);
  const p = (v: number | null) => (v === null ? '–' : v.toFixed(v < 10 ? 1 : 0));
  const cpu = result.processes.map((u) => `${u.label} ${u.cpuPercent.toFixed(0)}%`).join(', ');
  ctx.progress.line(
    `    ${result.id}: ${result.rate.toFixed(result.rate < 100 ? 1 : 0)} ${result.unit}, p50 ${p(result.latencyMs.p50)} ms, ` +
      `p99 ${p(result.latencyMs.p99)} ms${result.failures.count ? `, ${result.failures.count} failed` : ''} (${cpu})`,
  );
  return result;
}

// -----------------------------------------------------------------------------------------------
// Baselines

/**
 * Runs of one measurement become one row: a baseline measured before and after its scenario keeps
 * the better run; a peer scenario's alternating rounds keep the median one. All runs and their
 * spread go in `details`.
 */
export function mergeRepeats(ctx: BenchContext, id: string, keep: 'best' | 'median' = 'best'): void {
  const runs = ctx.results.filter((r) => r.id === id);
  if (runs.length < 2) return;
  const byRate = [...runs].sort((a, b) => a.rate - b.rate);
  const kept = keep === 'best' ? byRate.at(-1)! : byRate[Math.ceil(byRate.length / 2) - 1]!;
  const rates = runs.map((r) => r.rate);
  const merged: ScenarioResult = {
    ...kept,
    details: {
      ...kept.details,
      kept: keep,
      runs: runs.map((r) => ({ rate: r.rate, latencyMs: r.latencyMs, loadAverage1m: r.loadAverage1m })),
      spread: (Math.max(...rates) - Math.min(...rates)) / Math.max(...rates),
    },
  };
  const at = ctx.results.indexOf(runs[0]!);
  for (const run of runs) ctx.results.splice(ctx.results.indexOf(run), 1);
  ctx.results.splice(at, 0, merged);
}

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

// -----------------------------------------------------------------------------------------------
// Portico

export interface ServiceUnderTest {
  readonly service: PorticoProcess;
  readonly setup: string;
  /** Processes to sample besides the service and the load generator. */
  readonly groups: readonly ProcessGroup[];
}

export interface Seed {
  readonly users: readonly SeededUser[];
  readonly probes: readonly SeededUser[];
  readonly adminToken: string;
}

export const serviceGroups = (sut: ServiceUnderTest): ProcessGroup[] => [
  singleProcess('portico', sut.service.pid),
  ...sut.groups,
];

export async function seed(
  ctx: BenchContext,
  sut: ServiceUnderTest,
  adminEmail: string,
  adminPassword: string,
  users: number,
): Promise<Seed> {
  ctx.progress.phase(`seeding ${users} users`);
  const admin = await login(sut.service.url, adminEmail, adminPassword);
  const all = await registerUsers(sut.service.url, `b${ctx.runId}-${sut.service.label}`, users + 2);
  return { users: all.slice(0, users), probes: all.slice(users), adminToken: admin.accessToken };
}

export async function reads(
  ctx: BenchContext,
  sut: ServiceUnderTest,
  user: SeededUser,
  token: string,
): Promise<ScenarioResult> {
  const measured = await runLoad(
    {
      url: sut.service.url,
      connections: CONCURRENCY.http,
      durationSeconds: ctx.durationSeconds,
      warmupSeconds: ctx.warmupSeconds,
      requests: {
        kind: 'cycle',
        method: 'GET',
        headers: { authorization: `Bearer ${token}` },
        items: [{ path: `/api/v1/users/${user.id}` }],
      },
    },
    serviceGroups(sut),
    ctx.progress,
  );
  return record(
    ctx,
    fromLoad(
      'reads',
      'reads',
      'GET /api/v1/users/{id} (bearer token, self)',
      sut.setup,
      'req/s',
      measured,
      `${CONCURRENCY.http} conn`,
    ),
  );
}

/** `POST /auth/login`, the users in turn. */
export function loginRequests(users: readonly SeededUser[]): CycleRequests {
  return {
    kind: 'cycle',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    items: users.map((u) => ({
      path: '/api/v1/auth/login',
      body: JSON.stringify({ email: u.email, password: BENCH_PASSWORD }),
    })),
  };
}

/** `POST /auth/register` with `Prefer: wait`: a new user each request (`prefix` must be new to the run). */
export function signUpRequests(prefix: string): CycleRequests {
  return {
    kind: 'cycle',
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'wait=30' },
    items: [
      {
        path: '/api/v1/auth/register',
        body: JSON.stringify({
          email: `${prefix}-{n}@bench.example.com`,
          username: `${prefix}-{n}`,
          firstName: 'Bench',
          lastName: 'Signup {n}',
          password: BENCH_PASSWORD,
        }),
      },
    ],
  };
}

export async function logins(
  ctx: BenchContext,
  sut: ServiceUnderTest,
  users: readonly SeededUser[],
): Promise<ScenarioResult> {
  const measured = await runLoad(
    {
      url: sut.service.url,
      connections: CONCURRENCY.hashing,
      durationSeconds: ctx.durationSeconds,
      warmupSeconds: ctx.warmupSeconds,
      requests: loginRequests(users),
    },
    serviceGroups(sut),
    ctx.progress,
  );
  return record(
    ctx,
    fromLoad(
      'login',
      'login',
      'POST /api/v1/auth/login',
      sut.setup,
      'logins/s',
      measured,
      `${CONCURRENCY.hashing} conn, ${users.length} users`,
    ),
  );
}

export async function refreshes(
  ctx: BenchContext,
  sut: ServiceUnderTest,
  users: readonly SeededUser[],
): Promise<ScenarioResult> {
  // Each answer's new refresh token goes back into the pool.
  ctx.progress.phase('logging in to open sessions');
  const sessions: Tokens[] = [];
  // Requests in flight when the warm-up stops are never answered to the load generator: their tokens
  // are spent. Two per connection (warm-up and measured run) and a few spare.
  for (let i = 0; i < 2 * CONCURRENCY.http + 8; i += 1) {
    const user = users[i % users.length]!;
    sessions.push(await login(sut.service.url, user.email, BENCH_PASSWORD));
  }
  const measured = await runLoad(
    {
      url: sut.service.url,
      connections: CONCURRENCY.http,
      durationSeconds: ctx.durationSeconds,
      warmupSeconds: ctx.warmupSeconds,
      requests: { kind: 'refresh-chain', path: '/api/v1/auth/refresh', tokens: sessions.map((s) => s.refreshToken) },
    },
    serviceGroups(sut),
    ctx.progress,
  );
  return record(
    ctx,
    fromLoad(
      'refresh',
      'refresh',
      'POST /api/v1/auth/refresh (rotation)',
      sut.setup,
      'refreshes/s',
      measured,
      `${CONCURRENCY.http} conn, ${sessions.length} sessions`,
    ),
  );
}

export async function registrations(ctx: BenchContext, sut: ServiceUnderTest): Promise<ScenarioResult> {
  const measured = await runLoad(
    {
      url: sut.service.url,
      connections: CONCURRENCY.hashing,
      durationSeconds: ctx.durationSeconds,
      warmupSeconds: ctx.warmupSeconds,
      timeoutSeconds: 35,
      requests: signUpRequests(`r${ctx.runId}`),
    },
    serviceGroups(sut),
    ctx.progress,
  );
  return record(
    ctx,
    fromLoad(
      'register',
      'register',
      'POST /api/v1/auth/register, Prefer: wait',
      sut.setup,
      'sign-ups/s',
      measured,
      `${CONCURRENCY.hashing} conn`,
    ),
  );
}

// -----------------------------------------------------------------------------------------------
// Command pipeline

const APPLIED = ['messages_consumed_total', 'queue="read-model.user-views"', 'status="ack"'] as const;

async function applied(url: string): Promise<number> {
  const [name, ...labels] = APPLIED;
  return (await MetricsSnapshot.scrape(url)).sum(name, ...labels);
}

/** Waits until nothing is queued or unpublished (the previous scenario's work is done). */
async function waitQuiet(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quietScrapes = 0;
  while (Date.now() < deadline) {
    const m = await MetricsSnapshot.scrape(url);
    const busy = m.sum('queue_depth') + m.sum('outbox_pending');
    quietScrapes = busy === 0 ? quietScrapes + 1 : 0;
    if (quietScrapes >= 2) return true;
    await sleep(250);
  }
  return false;
}

function patchRequests(token: string, targets: readonly SeededUser[], tag: string): CycleRequests {
  return {
    kind: 'cycle',
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    // Round-robin over many users: consecutive commands never touch the same aggregate.
    items: targets.map((u) => ({
      path: `/api/v1/users/${u.id}`,
      body: JSON.stringify({ firstName: `Bench ${tag} {n}` }),
    })),
  };
}

const DRAIN_LIMIT_MS = 90_000;

export async function pipeline(
  ctx: BenchContext,
  sut: ServiceUnderTest,
  seeded: Seed,
  scenario: string,
  mode: { kind: 'saturation' } | { kind: 'fixed'; rate: number },
): Promise<ScenarioResult> {
  const url = sut.service.url;
  ctx.progress.phase('waiting for the service to be idle');
  await waitQuiet(url, 60_000);

  if (mode.kind === 'saturation' && ctx.warmupSeconds > 0) {
    // Warm the JIT at a gentle rate, then let it drain: the measured window starts with an empty queue.
    ctx.progress.phase('warm-up');
    const before = await applied(url);
    const warm = await measureChild<LoadResult>({
      file: 'load.ts',
      label: 'autocannon',
      message: {
        url,
        connections: 4,
        durationSeconds: ctx.warmupSeconds,
        warmupSeconds: 0,
        overallRate: 20,
        requests: patchRequests(seeded.adminToken, seeded.users, `w${ctx.runId}`),
      } satisfies Omit<LoadSpec, 'type'>,
      groups: [],
      progress: ctx.progress,
      durationSeconds: ctx.warmupSeconds,
    });
    await waitFor(async () => (await applied(url)) - before >= warm.result.ok, DRAIN_LIMIT_MS);
  }

  // Probes: PATCH + Prefer: wait on users of their own, one at a time each, all through the window.
  let probing = true;
  const endToEnd: number[] = [];
  let probeTimeouts = 0;
  let probesAccepted = 0;
  const probe = async (user: SeededUser, lane: number) => {
    for (let n = 0; probing; n += 1) {
      const answer = await timedPatch(
        url,
        seeded.adminToken,
        user.id,
        `Probe ${ctx.runId} ${scenario} ${mode.kind} ${lane} ${n}`,
      );
      if (answer.status === 200 || answer.status === 202) probesAccepted += 1;
      if (answer.status === 200) endToEnd.push(answer.ms);
      else probeTimeouts += 1;
      await sleep(100);
    }
  };

  const lagSamples: number[] = [];
  const peak = { commands: 0, outbox: 0, projection: 0 };
  let sampling = true;
  const sampleLag = async () => {
    while (sampling) {
      await sleep(1_000);
      if (!sampling) break;
      const m = await MetricsSnapshot.scrape(url).catch(() => null);
      if (!m) continue;
      lagSamples.push(m.sum('projection_lag_seconds', 'projection="user-views"') * 1000);
      // Where a backlog waits: for the worker, in the outbox for the relay, or for the projector.
      peak.commands = Math.max(peak.commands, m.sum('queue_depth', 'queue="users.commands"'));
      peak.outbox = Math.max(peak.outbox, m.sum('outbox_pending'));
      peak.projection = Math.max(peak.projection, m.sum('queue_depth', 'queue="read-model.user-views"'));
    }
  };

  const connections = CONCURRENCY.pipeline;
  const tag = `${ctx.runId}${mode.kind === 'fixed' ? 'f' : 's'}`;
  const appliedBefore = await applied(url);
  const windowStart = performance.now();
  // One probe lane: each probe is a command too, and counts as accepted load.
  const probes = seeded.probes.slice(0, 1).map((user, lane) => probe(user, lane));
  const lag = sampleLag();
  let measured: Measured<LoadResult>;
  try {
    measured = await runLoad(
      {
        url,
        connections,
        durationSeconds: ctx.durationSeconds,
        warmupSeconds: 0,
        ...(mode.kind === 'fixed' && { overallRate: mode.rate }),
        requests: patchRequests(seeded.adminToken, seeded.users, tag),
      },
      [...serviceGroups(sut), singleProcess('bench (probes)', process.pid)],
      ctx.progress,
    );
  } finally {
    probing = false;
    sampling = false;
  }
  const appliedAtEnd = await applied(url);
  const windowSeconds = (performance.now() - windowStart) / 1000;
  await lag;

  // Drain: every accepted command (load and probes) visible in the read model.
  ctx.progress.phase('draining the backlog');
  const drainStart = performance.now();
  const drained = await waitFor(
    async () => (await applied(url)) - appliedBefore >= measured.result.ok + probesAccepted,
    DRAIN_LIMIT_MS,
  );
  const drainSeconds = drained ? (performance.now() - drainStart) / 1000 : null;
  const drainEnd = monotonicMicros();
  await Promise.all(probes);
  const metrics = await MetricsSnapshot.scrape(url);
  const failedCommands = metrics.sum('command_processing_total', 'command="users.update_profile"', 'status="failed"');

  const e2e = summarize(endToEnd);
  const load = measured.result;
  const accepted = load.ok + probesAccepted;
  const details: PipelineDetails = {
    mode: mode.kind,
    offeredRate: mode.kind === 'fixed' ? mode.rate : null,
    connections,
    acceptedPerSecond: accepted / windowSeconds,
    appliedPerSecond: (appliedAtEnd - appliedBefore) / windowSeconds,
    sustainedPerSecond: drainSeconds === null ? null : accepted / (windowSeconds + drainSeconds),
    acceptLatencyMs: { p50: load.latencyMs.p50, p99: load.latencyMs.p99 },
    endToEndMs: { count: e2e.count, p50: e2e.p50, p99: e2e.p99 },
    projectionLagMs: { p50: quantile(lagSamples, 0.5), max: lagSamples.length ? Math.max(...lagSamples) : null },
    backlogAtEnd: Math.max(0, accepted - (appliedAtEnd - appliedBefore)),
    peakQueued: peak,
    drainSeconds,
    failedCommands,
  };
  const base = fromLoad(
    `${scenario}:${mode.kind}`,
    scenario,
    mode.kind === 'fixed'
      ? `PATCH /api/v1/users/{id} at ${mode.rate}/s offered`
      : 'PATCH /api/v1/users/{id} at saturation',
    sut.setup,
    'applied/s',
    measured,
    mode.kind === 'fixed' ? `${mode.rate}/s, ${connections} conn` : `${connections} conn`,
    { pipeline: details, probeTimeouts },
  );
  // The pipeline's figure is what reaches the read model (over the window and the drain that
  // followed it: at saturation the API outruns the worker, which catches up once the load stops),
  // and its latency is accept → visible.
  return record(ctx, {
    ...base,
    windowMicros: [measured.windowMicros[0], drainEnd],
    rate: details.sustainedPerSecond ?? details.appliedPerSecond,
    latencyMs: { p50: e2e.p50, p99: e2e.p99 },
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(250);
  }
  return false;
}
