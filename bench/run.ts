/**
 * `npm run bench`: measures Portico against baselines, and against a peer (Better Auth), taken in the
 * same run on the same machine.
 *
 *   npm run bench -- [--duration 10] [--warmup 2] [--scenarios reads,login] [--rounds 3] [--out bench/results] [--profile]
 *
 * Scenarios: baseline-fastify, baseline-pg, baseline-argon2, baseline-amqp, reads, login, refresh,
 * register, pipeline-embedded, pipeline-pg, peer-login, peer-read, peer-signup; `baselines`,
 * `pipeline` and `peer` name groups. A scenario pulls in the baseline its ratio needs. Progress goes
 * to stderr; the results go to <out>/<date>.json and <out>/<date>.md, and the markdown is printed on
 * stdout at the end.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ARGON2_PARAMETERS } from '../src/platform/system/argon2-password-hasher.js';
import { amqpBaseline, argon2Baseline, fastifyBaseline, refreshBaseline } from './lib/baselines.js';
import {
  AMQP_URL,
  createDatabase,
  createVhost,
  postgresAvailable,
  rabbitmqAvailable,
  type Owned,
} from './lib/infra.js';
import { describeMachine } from './lib/machine.js';
import { PEER_SCENARIOS, peerScenarios, type PeerScenario } from './lib/peer.js';
import { laterStarts } from './lib/start-time.js';
import { PEER_NAME, PEER_SETTINGS, peerVersion } from './lib/peer-config.js';
import { PEER_ROUNDS } from './lib/peer-report.js';
import { pipeline } from './lib/pipeline.js';
import { startRoles } from './lib/portico-roles.js';
import {
  BENCH_ADMIN,
  BENCH_PASSWORD,
  BENCH_SERVICE_ENV,
  login,
  mainThreadProfile,
  startPortico,
  startScriptNodeFlags,
  type PorticoProcess,
} from './lib/portico.js';
import { postgresGroup, rabbitmqGroup, type ProcessGroup } from './lib/proc.js';
import { profileMarkdown, summarizeProfile } from './lib/profile.js';
import { Progress } from './lib/progress.js';
import { compare, markdown } from './lib/report.js';
import type { BenchReport, ScenarioResult } from './lib/results.js';
import {
  logins,
  reads,
  refreshes,
  registrations,
  seed,
  type Seed,
  type ServiceUnderTest,
} from './lib/portico-scenarios.js';
import { CONCURRENCY, mergeRepeats, type BenchContext } from './lib/scenarios.js';

const ALL = [
  'baseline-fastify',
  'baseline-pg',
  'baseline-argon2',
  'baseline-refresh',
  'baseline-amqp',
  'reads',
  'login',
  'refresh',
  'register',
  'pipeline-embedded',
  'pipeline-pg',
  ...PEER_SCENARIOS,
] as const;
type ScenarioId = (typeof ALL)[number];

const GROUPS: Record<string, readonly ScenarioId[]> = {
  all: ALL,
  baselines: ['baseline-fastify', 'baseline-pg', 'baseline-argon2', 'baseline-amqp', 'baseline-refresh'],
  pipeline: ['pipeline-embedded', 'pipeline-pg'],
  peer: PEER_SCENARIOS,
};
/** The baseline each scenario's ratio is computed against, measured in the same run. */
const NEEDS: Partial<Record<ScenarioId, ScenarioId>> = {
  reads: 'baseline-pg',
  login: 'baseline-argon2',
  refresh: 'baseline-refresh',
  register: 'baseline-argon2',
  'pipeline-embedded': 'baseline-amqp',
  'pipeline-pg': 'baseline-amqp',
};
/** Scenarios that run against Portico on PostgreSQL (+ RabbitMQ when it answers). */
const ON_POSTGRES: readonly ScenarioId[] = [
  'baseline-pg',
  'baseline-refresh',
  'reads',
  'login',
  'refresh',
  'register',
  'pipeline-pg',
  ...PEER_SCENARIOS,
];

const USAGE = `usage: npm run bench -- [--duration SECONDS] [--warmup SECONDS] [--scenarios LIST] [--rounds N] [--out DIR] [--profile]
  --duration   seconds each measurement lasts (default 10)
  --warmup     seconds of load before each measurement, not counted (default 2; 0 below 5 s durations)
  --scenarios  comma-separated: ${ALL.join(', ')}, or the groups baselines, pipeline, peer, all (default all)
  --rounds     alternating rounds (Portico, then Better Auth) of each peer scenario (default ${PEER_ROUNDS})
  --out        directory for <date>.json and <date>.md (default bench/results)
  --profile    run each Portico process under node --cpu-prof; writes <date>-<setup>.cpuprofile to --out
               and adds a summary (self time by package and function) to the report`;

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string' },
      scenarios: { type: 'string', default: 'all' },
      rounds: { type: 'string', default: String(PEER_ROUNDS) },
      out: { type: 'string', default: fileURLToPath(new URL('./results', import.meta.url)) },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const durationSeconds = Number(values.duration);
  const warmupSeconds = values.warmup === undefined ? (durationSeconds >= 5 ? 2 : 0) : Number(values.warmup);
  const problems: string[] = [];
  if (!(durationSeconds > 0 && durationSeconds <= 600))
    problems.push('--duration must be a number of seconds from 0 to 600');
  if (!(warmupSeconds >= 0 && warmupSeconds <= 60)) problems.push('--warmup must be a number of seconds from 0 to 60');
  const rounds = Number(values.rounds);
  if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 20))
    problems.push('--rounds must be a whole number from 1 to 20');
  const requested = new Set<ScenarioId>();
  for (const name of values.scenarios
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const group = GROUPS[name];
    if (group) group.forEach((id) => requested.add(id));
    else if ((ALL as readonly string[]).includes(name)) requested.add(name as ScenarioId);
    else problems.push(`unknown scenario "${name}"`);
  }
  if (problems.length > 0) {
    console.error(`${problems.join('\n')}\n\n${USAGE}`);
    process.exit(2);
  }
  const added: string[] = [];
  for (const id of [...requested]) {
    const need = NEEDS[id];
    if (need && !requested.has(need)) {
      requested.add(need);
      added.push(`${need} (for ${id})`);
    }
  }
  const scenarios = ALL.filter((id) => requested.has(id));
  const out = resolve(values.out);
  return { durationSeconds, warmupSeconds, scenarios, added, rounds, out, profile: values.profile };
}

async function main(): Promise<void> {
  const opts = options();
  const machine = describeMachine();
  const startedAt = new Date();
  const stamp = startedAt.toISOString().slice(0, 19).replaceAll(':', '-');
  const runId = randomBytes(3).toString('hex');
  const progress = new Progress();
  const workDir = mkdtempSync(join(tmpdir(), 'portico-bench-'));
  mkdirSync(opts.out, { recursive: true });
  const results: ScenarioResult[] = [];
  const skipped: { scenario: string; reason: string }[] = [];
  const profiles: { label: string; file: string; summary: string }[] = [];
  const ctx: BenchContext = {
    runId,
    durationSeconds: opts.durationSeconds,
    warmupSeconds: opts.warmupSeconds,
    progress,
    results,
  };
  const selected = (id: ScenarioId) => opts.scenarios.includes(id);
  const peerSelected: PeerScenario[] = PEER_SCENARIOS.filter(selected);

  progress.line(
    `Portico bench: ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}; ` +
      `${opts.scenarios.join(', ')}${opts.added.length ? ` (added: ${opts.added.join(', ')})` : ''}`,
  );

  const wantsPostgres = opts.scenarios.some((id) => ON_POSTGRES.includes(id));
  const wantsRabbit = selected('baseline-amqp') || wantsPostgres;
  const [pgUp, rabbitUp] = await Promise.all([
    wantsPostgres ? postgresAvailable() : Promise.resolve(false),
    wantsRabbit ? rabbitmqAvailable() : Promise.resolve(false),
  ]);
  const onPg = (id: ScenarioId) => pgUp && selected(id);
  const count = (condition: boolean) => (condition ? 1 : 0);
  const steps =
    count(selected('baseline-fastify')) +
    (selected('baseline-pg') && pgUp ? 1 + count(selected('reads')) : 0) +
    (selected('baseline-refresh') && pgUp ? 1 + count(selected('refresh')) : 0) +
    (selected('baseline-argon2') ? 2 + count(onPg('login')) + count(onPg('register')) : 0) +
    (selected('baseline-amqp') ? 1 + count(onPg('pipeline-pg') || selected('pipeline-embedded')) : 0) +
    ['reads', 'login', 'refresh', 'register'].filter((id) => onPg(id as ScenarioId)).length +
    3 * count(onPg('pipeline-pg')) +
    5 * count(selected('pipeline-embedded')) +
    2 * count(pgUp && opts.scenarios.some((id) => ON_POSTGRES.includes(id) && id !== 'pipeline-pg')) +
    count(onPg('pipeline-pg')) +
    (pgUp && peerSelected.length > 0 ? 1 + peerSelected.length * opts.rounds * 2 : 0);
  progress.plan(steps);

  const owned: Owned[] = [];
  const services: PorticoProcess[] = [];
  const startService = async (label: string, env: Record<string, string>, roles = false): Promise<PorticoProcess> => {
    progress.phase(`starting portico (${label}${roles ? ': api, worker, relay, projector' : ''})`);
    const start = roles ? startRoles : startPortico;
    const service = await start({
      label,
      workDir,
      env,
      ...(opts.profile && { cpuProfileDir: join(workDir, `${label}-profiles`) }),
    });
    services.push(service);
    return service;
  };
  const stopService = async (service: PorticoProcess) => {
    progress.phase(`stopping portico (${service.label})`);
    await service.stop();
    if (!opts.profile) return;
    for (const { role, pid } of service.roles) {
      const label = service.roles.length > 1 ? `${service.label}-${role}` : service.label;
      const file = join(opts.out, `${stamp}-${label}.cpuprofile`);
      try {
        const written = mainThreadProfile(join(workDir, `${service.label}-profiles`), pid);
        if (!written) throw new Error('node wrote no main-thread profile');
        copyFileSync(written, file);
        const windows = results.map((r) => r.windowMicros);
        const summary = profileMarkdown(
          `portico (${label}), measured windows only: ${relative(process.cwd(), file)}`,
          summarizeProfile(file, 25, windows),
        );
        profiles.push({ label, file: relative(process.cwd(), file), summary });
      } catch (error) {
        progress.line(`    no CPU profile for ${label}: ${String(error)}`);
      }
    }
  };
  // Ctrl-C: stop what runs and drop the database and vhost this run made, then leave.
  process.once('SIGINT', () => {
    progress.line('\ninterrupted: cleaning up');
    void (async () => {
      for (const service of services) await service.stop().catch(() => undefined);
      for (const resource of owned.reverse()) await resource.drop().catch(() => undefined);
      rmSync(workDir, { recursive: true, force: true });
      process.exit(130);
    })();
  });
  const skip = (scenario: string, reason: string) => {
    skipped.push({ scenario, reason });
    progress.line(`    skipped ${scenario}: ${reason}`);
  };

  // Each baseline is measured right before the scenario compared with it and again right after;
  // the ratio uses the better of the two. A burst of other work on the machine during one of them
  // then shows as spread (reported) instead of flattering a ratio.
  const baselineRuns = new Map<string, number>();
  const baseline = async (id: string, again: boolean, title: string, work: () => Promise<unknown>) => {
    const count = baselineRuns.get(id) ?? 0;
    if (again ? count !== 1 : count !== 0) return;
    baselineRuns.set(id, count + 1);
    progress.begin(again ? `${title} (again, after)` : title);
    await work();
    if (again) mergeRepeats(ctx, id);
  };
  const argon2 = (operation: 'hash' | 'verify', again = false) =>
    selected('baseline-argon2')
      ? baseline(`baseline-argon2-${operation}`, again, `baseline: argon2id ${operation}`, () =>
          argon2Baseline(ctx, operation),
        )
      : Promise.resolve();
  let brokerVhost: Owned | null = null;
  const broker = async (again = false) => {
    if (!selected('baseline-amqp')) return;
    if (!rabbitUp) {
      if (!baselineRuns.has('baseline-amqp')) {
        baselineRuns.set('baseline-amqp', 2);
        skip('baseline-amqp', `RabbitMQ does not answer at ${AMQP_URL} (or rabbitmqctl is missing)`);
      }
      return;
    }
    await baseline('baseline-amqp', again, 'baseline: RabbitMQ publish-confirm + consume', async () => {
      if (!brokerVhost) {
        brokerVhost = await createVhost(runId, 'baseline');
        owned.push(brokerVhost);
      }
      await amqpBaseline(ctx, brokerVhost.url, rabbitmqGroup());
    });
  };

  try {
    if (selected('baseline-fastify')) {
      progress.begin('baseline: bare Fastify JSON route');
      await fastifyBaseline(ctx, null);
    }

    // Portico on PostgreSQL (+ RabbitMQ), and the pg baseline against its read model.
    const onPostgres = opts.scenarios.filter((id) => ON_POSTGRES.includes(id) && id !== 'pipeline-pg');
    if (onPostgres.length > 0 && !pgUp) {
      for (const id of onPostgres) skip(id, 'PostgreSQL does not answer (set BENCH_DATABASE_URL)');
    } else if (onPostgres.length > 0) {
      const database = await createDatabase(runId, 'pg');
      owned.push(database);
      const vhost = rabbitUp ? await createVhost(runId, 'pg') : null;
      if (vhost) owned.push(vhost);
      const groups: ProcessGroup[] = [postgresGroup([database.name]), ...(vhost ? [rabbitmqGroup()] : [])];
      const setup = vhost ? 'PostgreSQL + RabbitMQ' : 'PostgreSQL (queue in the database)';
      progress.begin(`start portico on ${setup}`);
      const postgresEnv = { DATABASE_URL: database.url, ...(vhost && { AMQP_URL: vhost.url }) };
      const service = await startService('postgres', postgresEnv);
      const sut: ServiceUnderTest = { service, setup, groups };
      const seeded: Seed = await seed(ctx, sut, BENCH_ADMIN.email, BENCH_ADMIN.password, 40);
      const reader = seeded.users[0]!;
      // Logins cycle over a pool of users; the peer scenario gives Better Auth as many of its own.
      const loginPool = seeded.users.slice(0, 20);
      const readerTokens = await login(service.url, reader.email, BENCH_PASSWORD);
      const pgBaseline = (again = false) =>
        selected('baseline-pg')
          ? baseline('baseline-pg', again, 'baseline: Fastify + pg SELECT by id', () =>
              fastifyBaseline(ctx, { url: database.url, group: groups[0]!, userId: reader.id }),
            )
          : Promise.resolve();
      await pgBaseline();
      if (selected('reads')) {
        progress.begin('reads: GET /api/v1/users/{id}');
        await reads(ctx, sut, reader, readerTokens.accessToken);
        await pgBaseline(true);
      }
      if (selected('login')) {
        await argon2('verify');
        progress.begin('login: POST /api/v1/auth/login');
        await logins(ctx, sut, loginPool);
        await argon2('verify', true);
      }
      const refreshBase = (again = false) =>
        selected('baseline-refresh')
          ? baseline('baseline-refresh', again, 'baseline: Fastify + pg, the writes of a refresh', () =>
              refreshBaseline(ctx, { url: database.url, group: groups[0]! }, 2 * CONCURRENCY.http + 8),
            )
          : Promise.resolve();
      await refreshBase();
      if (selected('refresh')) {
        progress.begin('refresh: POST /api/v1/auth/refresh');
        await refreshes(ctx, sut, seeded.users.slice(20));
        await refreshBase(true);
      }
      if (selected('register')) {
        await argon2('hash');
        progress.begin('register: POST /api/v1/auth/register, Prefer: wait');
        await registrations(ctx, sut);
        await argon2('hash', true);
      }
      if (peerSelected.length > 0) {
        const peerDatabase = await createDatabase(runId, 'peer');
        owned.push(peerDatabase);
        const portico = { sut, users: loginPool, accessToken: readerTokens.accessToken };
        await peerScenarios(ctx, portico, peerDatabase, peerSelected, opts.rounds);
      }
      await stopService(service);
      await laterStarts(ctx, { label: 'postgres', workDir, env: postgresEnv }, setup);
    }

    // The pipeline on PostgreSQL + RabbitMQ as it is deployed: each role a process of its own.
    if (onPg('pipeline-pg') && rabbitUp) {
      await broker();
      const database = await createDatabase(runId, 'pipeline');
      owned.push(database);
      const vhost = await createVhost(runId, 'pipeline');
      owned.push(vhost);
      const setup = 'PostgreSQL + RabbitMQ, roles in separate processes';
      progress.begin(`start portico on ${setup}`);
      const service = await startService('roles', { DATABASE_URL: database.url, AMQP_URL: vhost.url }, true);
      const sut: ServiceUnderTest = { service, setup, groups: [postgresGroup([database.name]), rabbitmqGroup()] };
      const seeded = await seed(ctx, sut, BENCH_ADMIN.email, BENCH_ADMIN.password, 40);
      progress.begin(`pipeline on ${setup}: saturation`);
      await runPipelinePair(ctx, sut, seeded, 'pipeline-pg');
      await stopService(service);
      await broker(true);
    } else if (selected('pipeline-pg')) {
      skip('pipeline-pg', 'needs PostgreSQL and RabbitMQ');
    }

    // Portico on its embedded defaults.
    if (selected('pipeline-embedded')) {
      await broker();
      progress.begin('start portico on embedded defaults');
      const service = await startService('embedded', {});
      const sut: ServiceUnderTest = {
        service,
        setup: 'embedded (PGlite inside the process, queue in the database)',
        groups: [],
      };
      const seeded = await seed(ctx, sut, BENCH_ADMIN.email, BENCH_ADMIN.password, 40);
      progress.begin('pipeline on embedded defaults: saturation');
      await runPipelinePair(ctx, sut, seeded, 'pipeline-embedded');
      await stopService(service);
      await laterStarts(ctx, { label: 'embedded', workDir, env: {} }, sut.setup);
      await broker(true);
    }

    // Baselines selected on their own (or whose scenario was skipped).
    await argon2('hash');
    await argon2('verify');
    await broker();
  } finally {
    for (const service of services) await service.stop().catch(() => undefined);
    for (const resource of owned.reverse()) await resource.drop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
    progress.finish();
  }

  const report: BenchReport = {
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    loadAverageAtEnd: loadavg().map((value) => Number(value.toFixed(2))),
    options: {
      durationSeconds: opts.durationSeconds,
      warmupSeconds: opts.warmupSeconds,
      scenarios: opts.scenarios,
      profile: opts.profile,
    },
    service: {
      command: ['node', ...startScriptNodeFlags(), 'bin/portico.js', 'start'].join(' '),
      env: BENCH_SERVICE_ENV,
      argon2: { ...ARGON2_PARAMETERS },
      hashConcurrency: Number(process.env.HASH_CONCURRENCY ?? availableParallelism()),
      dbPoolSize: Number(process.env.DB_POOL_SIZE ?? 10),
      workerConcurrency: Number(process.env.WORKER_CONCURRENCY ?? 4),
    },
    ...(pgUp &&
      peerSelected.length > 0 && {
        peer: { name: PEER_NAME, version: peerVersion(), settings: PEER_SETTINGS, rounds: opts.rounds },
      }),
    results,
    comparisons: compare(results, machine.cores),
    skipped,
    profiles,
  };
  const base = join(opts.out, stamp);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  const text = markdown(report);
  writeFileSync(`${base}.md`, text);
  process.stdout.write(`${text}\n`);
  progress.line(`results: ${relative(process.cwd(), `${base}.json`)}, ${relative(process.cwd(), `${base}.md`)}`);
}

/** Saturation first; then a fixed offered rate of half the rate it sustained end to end. */
async function runPipelinePair(ctx: BenchContext, sut: ServiceUnderTest, seeded: Seed, scenario: string) {
  const saturated = await pipeline(ctx, sut, seeded, scenario, { kind: 'saturation' });
  const rate = Math.max(5, Math.round(saturated.rate / 2 / 5) * 5);
  ctx.progress.begin(`${scenario}: fixed rate ${rate}/s`);
  await pipeline(ctx, sut, seeded, scenario, { kind: 'fixed', rate });
  const overload = Math.max(15, Math.round((saturated.rate * 3) / 5) * 5);
  ctx.progress.begin(`${scenario}: overload ${overload}/s (3× sustained)`);
  await pipeline(ctx, sut, seeded, scenario, { kind: 'overload', rate: overload });
}

main().catch((error: unknown) => {
  process.stderr.write(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
