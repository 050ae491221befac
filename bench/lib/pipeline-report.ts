import { cell, num } from './format.js';
import type { PipelineDetails, ScenarioResult } from './results.js';

/** The report's "Command pipeline" section: what each stage of the pipeline scenarios sustained. */
export function pipelineMarkdown(rows: readonly ScenarioResult[]): string[] {
  const pipelines = rows.filter((r) => r.details?.pipeline);
  if (pipelines.length === 0) return [];
  const lines: string[] = [];
  lines.push('## Command pipeline', '');
  lines.push(
    'Accepted: commands answered `202` per second (the load and the probes). Applied: changes that reached the ' +
      'read model per second during the window. Sustained: everything accepted in the window over the time until ' +
      'all of it was visible (window + drain) — the figure the ratios use. End to end: a probe sending `PATCH` + ' +
      '`Prefer: wait=30` one after another through the window (sending → readable; the server checks with a ' +
      'back-off from 2 ms doubling to 50 ms). Projection lag: `projection_lag_seconds` sampled every second. ' +
      'Peak queued: the largest backlog sampled in each stage (commands for the worker, outbox rows for the ' +
      'relay, events for the projector). Backlog: accepted but not yet visible when the load stopped; drain: time ' +
      "until it was. The load is clients that wait out a 503's `Retry-After` before their next request (as callers " +
      'are asked to); a fixed rate is spread evenly over each second. Overload offers 3× the rate saturation ' +
      'sustained: admission control should refuse the excess so what it accepts stays visible within 2 s.',
    '',
  );
  lines.push(
    '| setup | load | accepted/s | refused (503)/s | applied/s | sustained/s | accept p50 / p99 | end to end p50 / p99 (n) | projection lag p50 / max | peak queued: commands / outbox / events | backlog | drain |',
  );
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of pipelines) {
    const p = r.details!.pipeline as PipelineDetails;
    lines.push(
      `| ${cell(r.setup)} | ${p.mode === 'saturation' ? `saturation, ${p.connections} conn` : `${p.offeredRate}/s offered${p.mode === 'overload' ? ' (3× sustained)' : ''}`} | ` +
        `${num(p.acceptedPerSecond)} | ${num(p.refusedPerSecond ?? 0)} | ${num(p.appliedPerSecond)} | ${num(p.sustainedPerSecond)} | ${num(p.acceptLatencyMs.p50)} / ${num(p.acceptLatencyMs.p99, ' ms')} | ` +
        `${num(p.endToEndMs.p50)} / ${num(p.endToEndMs.p99, ' ms')} (${p.endToEndMs.count}) | ` +
        `${num(p.projectionLagMs.p50)} / ${num(p.projectionLagMs.max, ' ms')} | ` +
        `${p.peakQueued.commands} / ${p.peakQueued.outbox} / ${p.peakQueued.projection} | ${p.backlogAtEnd} | ` +
        `${p.drainSeconds === null ? '> 90 s' : `${p.drainSeconds.toFixed(1)} s`}${p.failedCommands ? ` (${p.failedCommands} failed)` : ''} |`,
    );
  }
  lines.push('');
  return lines;
}
