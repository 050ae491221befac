import { num } from './format.js';
import type { BenchReport, Comparison, ScenarioResult } from './results.js';
import { quantile } from './stats.js';

/** The peer scenarios in the report: their ratios, and a section with the settings and every round. */

const SCENARIOS = [
  { id: 'peer-login', what: 'Login' },
  { id: 'peer-read', what: 'Authenticated read (/auth/me vs get-session)' },
  { id: 'peer-signup', what: 'Sign-up, read-your-writes' },
] as const;

/** Rounds of each peer scenario unless `--rounds` says otherwise. */
export const PEER_ROUNDS = 3;

/** The `--scenarios` value that selects `scenarios` again: every peer scenario is the group `peer`. */
export function scenarioList(scenarios: readonly string[]): string {
  const ids = SCENARIOS.map((s) => s.id as string);
  const all = ids.every((id) => scenarios.includes(id));
  return [...scenarios.filter((id) => !all || !ids.includes(id)), ...(all ? ['peer'] : [])].join(',');
}

type Run = { rate: number; latencyMs: { p50: number | null; p99: number | null }; loadAverage1m: number };

/** Every round of one side, in the order measured (one round: the row itself). */
const runsOf = (result: ScenarioResult): Run[] => (result.details?.runs as Run[] | undefined) ?? [result];

interface PeerPair {
  readonly id: string;
  readonly what: string;
  readonly portico: ScenarioResult;
  readonly peer: ScenarioResult;
  /** Portico / peer, round by round: each Portico round against the peer round right after it. */
  readonly ratios: readonly number[];
}

function pairs(results: readonly ScenarioResult[]): PeerPair[] {
  return SCENARIOS.flatMap(({ id, what }) => {
    const portico = results.find((r) => r.id === `${id}:portico`);
    const peer = results.find((r) => r.id === `${id}:better-auth`);
    if (!portico || !peer) return [];
    const peerRuns = runsOf(peer);
    const ratios = runsOf(portico).flatMap((run, i) =>
      peerRuns[i] && peerRuns[i].rate > 0 ? [run.rate / peerRuns[i].rate] : [],
    );
    return ratios.length ? [{ id, what, portico, peer, ratios }] : [];
  });
}

/** The median over rounds of Portico / peer: the figure the targets of issue 14 are read from. */
export function peerComparisons(results: readonly ScenarioResult[]): Comparison[] {
  return pairs(results).map((p) => ({
    measure: `${p.what}: Portico vs Better Auth, median of ${p.ratios.length} alternating rounds`,
    value: p.portico.rate,
    unit: p.portico.unit,
    against: `${p.peer.unit}, ${p.peer.title}`,
    baseline: p.peer.rate,
    ratio: quantile(p.ratios, 0.5)!,
  }));
}

function side(result: ScenarioResult): string {
  const usage = result.processes
    .filter((p) => p.label !== 'autocannon')
    .map((p) => `${p.label} ${p.cpuPercent.toFixed(0)} % · ${p.rssMaxMb.toFixed(0)} MB`)
    .join(', ');
  const rounds = runsOf(result)
    .map((r) => num(r.rate))
    .join(' / ');
  return (
    `${num(result.rate)} ${result.unit} (rounds ${rounds}), p50 ${num(result.latencyMs.p50)} / ` +
    `p99 ${num(result.latencyMs.p99, ' ms')}<br>${usage}`
  );
}

export function peerMarkdown(report: BenchReport): string[] {
  const found = pairs(report.results);
  if (!report.peer || found.length === 0) return [];
  const { name, version, settings, rounds } = report.peer;
  const lines = [`## Peer: ${name} ${version}`, ''];
  lines.push(
    `${name} and Portico on the same PostgreSQL, measured in ${rounds} alternating rounds (Portico, then ${name}, ` +
      `each ${report.options.durationSeconds} s with the same connections; only the first round warms up). ` +
      `Each side shows its median round, its CPU and peak RSS in that round; the ratio is the median of the ` +
      `per-round ratios. ${name}'s settings, all else its defaults:`,
    '',
    ...Object.entries(settings).map(([key, value]) => `- \`${key}\`: ${value}`),
    '',
  );
  lines.push(`| scenario | Portico | ${name} | Portico / ${name} per round | median |`);
  lines.push('|---|---|---|---:|---:|');
  for (const p of found) {
    lines.push(
      `| ${p.what}<br>${p.portico.title} vs ${p.peer.title} | ${side(p.portico)} | ${side(p.peer)} | ` +
        `${p.ratios.map((r) => r.toFixed(2)).join(' / ')} | **${quantile(p.ratios, 0.5)!.toFixed(2)}** |`,
    );
  }
  lines.push('');
  return lines;
}
