import type { CycleRequests, LoadResult, LoadSpec } from './load-spec.js';
import { measureChild, runLoad, type Measured } from './measure.js';
import { MetricsSnapshot, timedPatch, type SeededUser } from './portico.js';
import { serviceGroups, type Seed, type ServiceUnderTest } from './portico-scenarios.js';
import { singleProcess } from './proc.js';
import type { PipelineDetails, ScenarioResult } from './results.js';
import { CONCURRENCY, fromLoad, record, type BenchContext } from './scenarios.js';
import { largest, monotonicMicros, quantile, sleep, summarize } from './stats.js';

/**
 * The command pipeline: `PATCH` at saturation and at a fixed rate, followed through to the read
 * model (accepted, applied, sustained, end-to-end latency, lag, backlog and drain).
 */

const APPLIED = ['messages_consumed_total', 'queue="read-model.user-views"', 'status="ack"'] as const;

async function applied(urls: readonly string[]): Promise<number> {
  const [name, ...labels] = APPLIED;
  return (await MetricsSnapshot.scrape(urls)).sum(name, ...labels);
}

/** Waits until nothing is queued or unpublished (the previous scenario's work is done). */
async function waitQuiet(urls: readonly string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quietScrapes = 0;
  while (Date.now() < deadline) {
    const m = await MetricsSnapshot.scrape(urls);
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
  mode: { kind: 'saturation' } | { kind: 'fixed' | 'overload'; rate: number },
): Promise<ScenarioResult> {
  const url = sut.service.url;
  // Every role's metrics: the projector counts what it applied, the relay what waits in the outbox.
  const metricsUrls = sut.service.metricsUrls;
  ctx.progress.phase('waiting for the service to be idle');
  await waitQuiet(metricsUrls, 60_000);

  if (mode.kind === 'saturation' && ctx.warmupSeconds > 0) {
    // Warm the JIT at a gentle rate, then let it drain: the measured window starts with an empty queue.
    ctx.progress.phase('warm-up');
    const before = await applied(metricsUrls);
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
    await waitFor(async () => (await applied(metricsUrls)) - before >= warm.result.ok, DRAIN_LIMIT_MS);
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
      const m = await MetricsSnapshot.scrape(metricsUrls).catch(() => null);
      if (!m) continue;
      lagSamples.push(m.sum('projection_lag_seconds', 'projection="user-views"') * 1000);
      // Where a backlog waits: for the worker, in the outbox for the relay, or for the projector.
      peak.commands = Math.max(peak.commands, m.sum('queue_depth', 'queue="users.commands"'));
      peak.outbox = Math.max(peak.outbox, m.sum('outbox_pending'));
      peak.projection = Math.max(peak.projection, m.sum('queue_depth', 'queue="read-model.user-views"'));
    }
  };

  // Overload needs clients enough to offer 3× the rate while some wait out their Retry-After.
  const connections =
    mode.kind === 'overload' ? Math.max(CONCURRENCY.pipeline, Math.ceil(mode.rate / 10)) : CONCURRENCY.pipeline;
  const tag = `${ctx.runId}${mode.kind[0]}`;
  const appliedBefore = await applied(metricsUrls);
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
        ...(mode.kind !== 'saturation' && { overallRate: mode.rate }),
        requests: patchRequests(seeded.adminToken, seeded.users, tag),
      },
      [...serviceGroups(sut), singleProcess('bench (probes)', process.pid)],
      ctx.progress,
      'client-load.ts',
    );
  } finally {
    probing = false;
    sampling = false;
  }
  const appliedAtEnd = await applied(metricsUrls);
  const windowSeconds = (performance.now() - windowStart) / 1000;
  await lag;

  // Drain: every accepted command (load and probes) visible in the read model.
  ctx.progress.phase('draining the backlog');
  const drainStart = performance.now();
  const drained = await waitFor(
    async () => (await applied(metricsUrls)) - appliedBefore >= measured.result.ok + probesAccepted,
    DRAIN_LIMIT_MS,
  );
  const drainSeconds = drained ? (performance.now() - drainStart) / 1000 : null;
  const drainEnd = monotonicMicros();
  await Promise.all(probes);
  const metrics = await MetricsSnapshot.scrape(metricsUrls);
  const failedCommands = metrics.sum('command_processing_total', 'command="users.update_profile"', 'status="failed"');

  const e2e = summarize(endToEnd);
  const load = measured.result;
  const accepted = load.ok + probesAccepted;
  const details: PipelineDetails = {
    mode: mode.kind,
    offeredRate: mode.kind === 'saturation' ? null : mode.rate,
    connections,
    acceptedPerSecond: accepted / windowSeconds,
    refusedPerSecond: (load.statusCodes['503'] ?? 0) / windowSeconds,
    appliedPerSecond: (appliedAtEnd - appliedBefore) / windowSeconds,
    sustainedPerSecond: drainSeconds === null ? null : accepted / (windowSeconds + drainSeconds),
    acceptLatencyMs: { p50: load.latencyMs.p50, p99: load.latencyMs.p99 },
    endToEndMs: { count: e2e.count, p50: e2e.p50, p99: e2e.p99 },
    projectionLagMs: { p50: quantile(lagSamples, 0.5), max: largest(lagSamples) },
    backlogAtEnd: Math.max(0, accepted - (appliedAtEnd - appliedBefore)),
    peakQueued: peak,
    drainSeconds,
    failedCommands,
  };
  const base = fromLoad(
    `${scenario}:${mode.kind}`,
    scenario,
    mode.kind !== 'saturation'
      ? `PATCH /api/v1/users/{id} at ${mode.rate}/s offered${mode.kind === 'overload' ? ' (3× sustained)' : ''}`
      : 'PATCH /api/v1/users/{id} at saturation',
    sut.setup,
    'applied/s',
    measured,
    mode.kind === 'saturation' ? `${connections} conn` : `${mode.rate}/s, ${connections} conn`,
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
