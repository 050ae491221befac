import { cell, num } from './format.js';
import { PEER_ROUNDS, peerComparisons, peerMarkdown, scenarioList } from './peer-report.js';
import { pipelineMarkdown } from './pipeline-report.js';
import type { BenchReport, Comparison, PipelineDetails, ScenarioResult } from './results.js';

/** Keycloak's published sizing figures (Keycloak "Concepts for sizing CPU and memory resources"). */
export const KEYCLOAK = { passwordLoginsPerVcpu: 15, refreshesPerVcpu: 120 } as const;
const KEYCLOAK_NOTE =
  "Keycloak's figures are its sizing guide's (one vCPU per 15 password logins/s, per 120 refreshes/s), " +
  'measured on its own hardware with its own hashing settings: a point of reference, not a head-to-head run';

const byId = (results: readonly ScenarioResult[], id: string) => results.find((r) => r.id === id);

/** CPU share of the processes that serve the request (the service and its database), in cores. */
function serviceCores(result: ScenarioResult): number {
  return result.processes
    .filter((p) => ['portico', 'postgres', 'rabbitmq'].includes(p.label))
    .reduce((total, p) => total + p.cpuPercent / 100, 0);
}

export function compare(results: readonly ScenarioResult[], cores: number): Comparison[] {
  const out: Comparison[] = [];
  const ratio = (
    measure: string,
    id: string,
    baselineId: string,
    pick: (r: ScenarioResult) => { value: number; unit: string } = (r) => ({ value: r.rate, unit: r.unit }),
  ) => {
    const result = byId(results, id);
    const baseline = byId(results, baselineId);
    if (!result || !baseline || baseline.rate <= 0) return;
    const { value, unit } = pick(result);
    out.push({
      measure,
      value,
      unit,
      against: `${baseline.unit}, ${baseline.title}`,
      baseline: baseline.rate,
      ratio: value / baseline.rate,
    });
  };
  const perCore = (measure: string, id: string, published: number, who: string) => {
    const value = byId(results, id);
    if (!value) return;
    const used = serviceCores(value);
    out.push({
      measure,
      value: value.rate / cores,
      unit: `${value.unit} per core`,
      against: who,
      baseline: published,
      ratio: value.rate / cores / published,
      note:
        `${num(value.rate)} ${value.unit} on ${cores} cores shared with the load generator` +
        (used > 0
          ? `; ${num(value.rate / used)} per core actually used by the service and its database (${num(used)} cores)`
          : ''),
    });
  };
  const accepted = (r: ScenarioResult) => ({
    value: (r.details?.pipeline as PipelineDetails).acceptedPerSecond,
    unit: 'accepted/s',
  });
  ratio('Reads: GET /users/{id} vs the same SELECT on bare Fastify + pg', 'reads', 'baseline-pg');
  ratio('Login vs raw argon2id verify', 'login', 'baseline-argon2-verify');
  perCore(
    'Logins per core vs Keycloak',
    'login',
    KEYCLOAK.passwordLoginsPerVcpu,
    'logins/s per vCPU, Keycloak (published)',
  );
  perCore(
    'Refreshes per core vs Keycloak',
    'refresh',
    KEYCLOAK.refreshesPerVcpu,
    'refreshes/s per vCPU, Keycloak (published)',
  );
  ratio('Refresh vs one pg transaction with the same writes on bare Fastify', 'refresh', 'baseline-refresh');
  ratio('Sign-up (Prefer: wait) vs raw argon2id hash', 'register', 'baseline-argon2-hash');
  ratio(
    'Pipeline on PostgreSQL + RabbitMQ, saturated: accepted vs raw broker',
    'pipeline-pg:saturation',
    'baseline-amqp',
    accepted,
  );
  ratio(
    'Pipeline on PostgreSQL + RabbitMQ, saturated: applied (sustained) vs raw broker',
    'pipeline-pg:saturation',
    'baseline-amqp',
  );
  ratio(
    'Pipeline embedded, saturated: accepted vs raw broker',
    'pipeline-embedded:saturation',
    'baseline-amqp',
    accepted,
  );
  ratio(
    'Pipeline embedded, saturated: applied (sustained) vs raw broker',
    'pipeline-embedded:saturation',
    'baseline-amqp',
  );
  out.push(...peerComparisons(results));
  return out;
}

function processes(result: ScenarioResult): string {
  return result.processes
    .map((p) => `${p.label} ${p.cpuPercent.toFixed(0)} % · ${p.rssMaxMb.toFixed(0)} MB`)
    .join('<br>');
}

const NOISY_SPREAD = 0.15;

/** For a baseline run before and after its scenario: both rates, and a mark when they disagree. */
function repeats(result: ScenarioResult): string {
  const runs = result.details?.runs as { rate: number }[] | undefined;
  if (!runs) return '';
  const spread = result.details!.spread as number;
  const kept = result.details!.kept === 'median' ? 'median' : 'best';
  return `<br>(${kept} of ${runs.map((r) => num(r.rate)).join(' / ')}${spread > NOISY_SPREAD ? ' ‡' : ''})`;
}

/** Rows in reading order (baselines first), whatever order the run measured them in. */
const ORDER = [
  'baseline-fastify',
  'baseline-pg',
  'baseline-argon2-hash',
  'baseline-argon2-verify',
  'baseline-amqp',
  'baseline-refresh',
  'reads',
  'login',
  'refresh',
  'register',
  'pipeline-pg:saturation',
  'pipeline-pg:fixed',
  'pipeline-embedded:saturation',
  'pipeline-embedded:fixed',
  'peer-login:portico',
  'peer-login:better-auth',
  'peer-read:portico',
  'peer-read:better-auth',
  'peer-signup:portico',
  'peer-signup:better-auth',
];
const ORDER_OF_SCENARIOS = new Set(ORDER.map((id) => id.replace(/-(hash|verify)$|:.*$/, '')));
const rank = (id: string) => (ORDER.includes(id) ? ORDER.indexOf(id) : ORDER.length);

export function markdown(report: BenchReport): string {
  const m = report.machine;
  const lines: string[] = [];
  lines.push(`# Portico benchmark, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`, '');
  lines.push(
    `**Machine:** ${m.cores} cores (${m.cpuModel}), ${m.memoryGb} GiB, ${m.os}, Node ${m.node}. ` +
      `**Load average** (1/5/15 min) at start ${m.loadAverageAtStart.join(' / ')}, at end ${report.loadAverageAtEnd.join(' / ')}` +
      (m.loadAverageAtStart[0]! > m.cores * 0.5
        ? ' — other work was running on the machine, so absolute numbers are low and noisy; ratios within the run are the figures to read.'
        : '.'),
    '',
  );
  lines.push(
    `Each measurement: ${report.options.durationSeconds} s after ${report.options.warmupSeconds} s of warm-up. ` +
      `Service: \`${report.service.command}\` (every role in one process), defaults (HASH_CONCURRENCY ${report.service.hashConcurrency}, ` +
      `DB_POOL_SIZE ${report.service.dbPoolSize}, WORKER_CONCURRENCY ${report.service.workerConcurrency}, LOG_LEVEL info) except ` +
      `${Object.entries(report.service.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}. Load: autocannon in its own process. ` +
      'CPU is the share of one core over the measured window (200 % = both cores of this machine), RSS the peak. ' +
      'HTTP latencies come from autocannon at 1 ms resolution (0 means under 1 ms).',
    '',
  );

  const rows = [...report.results].sort((a, b) => rank(a.id) - rank(b.id));
  lines.push('## Results', '');
  lines.push('| scenario | setup | concurrency | throughput | p50 | p99 | failed | CPU · RSS per process | load 1m |');
  lines.push('|---|---|---|---:|---:|---:|---:|---|---:|');
  for (const r of rows) {
    lines.push(
      `| ${cell(r.title)} | ${cell(r.setup)} | ${cell(r.concurrency)} | ${num(r.rate)} ${r.unit}${repeats(r)} | ${num(r.latencyMs.p50, ' ms')} | ` +
        `${num(r.latencyMs.p99, ' ms')} | ${r.failures.count} | ${processes(r)} | ${r.loadAverage1m.toFixed(1)} |`,
    );
  }
  if (report.results.some((r) => r.details?.runs && r.details.kept !== 'median')) {
    lines.push(
      '',
      'Baselines marked "best of" were measured right before and right after the scenario compared with them; ' +
        'the ratios use the better run. ‡: the two runs differ by more than ' +
        `${NOISY_SPREAD * 100} %, so other work on the machine disturbed at least one of them.`,
    );
  }
  lines.push('');

  if (report.comparisons.length > 0) {
    lines.push('## Ratios (same run, same machine)', '');
    lines.push('| measure | Portico | baseline | ratio |');
    lines.push('|---|---:|---|---:|');
    for (const c of report.comparisons) {
      lines.push(
        `| ${cell(c.measure)} | ${num(c.value)} ${c.unit} | ${num(c.baseline)} ${cell(c.against)} | **${c.ratio.toFixed(c.ratio < 0.1 ? 3 : 2)}** |`,
      );
    }
    const notes = report.comparisons.filter((c) => c.note);
    if (notes.length) lines.push('', ...notes.map((c) => `- ${c.measure}: ${c.note}.`), `- ${KEYCLOAK_NOTE}.`);
    lines.push('');
  }

  lines.push(...peerMarkdown(report));

  lines.push(...pipelineMarkdown(rows));

  const failures = report.results.filter((r) => r.failures.samples.length > 0);
  if (failures.length > 0) {
    lines.push('## Failures seen', '');
    for (const r of failures)
      lines.push(`- ${r.id}: ${r.failures.samples.map((s) => `\`${s.slice(0, 160)}\``).join('; ')}`);
    lines.push('');
  }
  if (report.skipped.length > 0) {
    lines.push('## Skipped', '', ...report.skipped.map((s) => `- ${s.scenario}: ${s.reason}`), '');
  }
  if (report.profiles.length > 0) lines.push('## CPU profiles', '', ...report.profiles.map((p) => p.summary));
  const everything = report.options.scenarios.length === ORDER_OF_SCENARIOS.size;
  lines.push(
    `Reproduce: \`npm run bench -- --duration ${report.options.durationSeconds}` +
      `${everything ? '' : ` --scenarios ${scenarioList(report.options.scenarios)}`}` +
      `${report.peer && report.peer.rounds !== PEER_ROUNDS ? ` --rounds ${report.peer.rounds}` : ''}\``,
    '',
  );
  return lines.join('\n');
}
