import { describe, expect, it } from 'vitest';
import { peerComparisons, scenarioList } from '../../bench/lib/peer-report.js';
import type { ScenarioResult } from '../../bench/lib/results.js';

/** A merged row as the peer rounds leave it: the median round's rate, every round in `runs`. */
function row(id: string, rates: readonly number[]): ScenarioResult {
  const runs = rates.map((rate) => ({ rate, latencyMs: { p50: 1, p99: 2 }, loadAverage1m: 0 }));
  return {
    id,
    scenario: id.split(':')[0]!,
    title: id,
    setup: 'test',
    unit: 'logins/s',
    rate: [...rates].sort((a, b) => a - b)[Math.ceil(rates.length / 2) - 1]!,
    latencyMs: { p50: 1, p99: 2 },
    durationSeconds: 1,
    concurrency: '8 conn',
    failures: { count: 0, samples: [] },
    processes: [],
    loadAverage1m: 0,
    windowMicros: [0, 1],
    details: { kept: 'median', runs },
  };
}

describe('peer report', () => {
  it('pairs each Portico round with the peer round after it and takes the median of those ratios', () => {
    // Per round: 2, 1.5, 4 → median 2; the ratio of the two medians would be 120 / 50 = 2.4.
    const [login] = peerComparisons([
      row('peer-login:portico', [100, 120, 200]),
      row('peer-login:better-auth', [50, 80, 50]),
    ]);
    expect(login!.ratio).toBe(2);
    expect(login!.value).toBe(120);
    expect(login!.baseline).toBe(50);
  });

  it('leaves out a scenario whose peer side is missing', () => {
    expect(peerComparisons([row('peer-read:portico', [10])])).toEqual([]);
  });

  it('names the whole peer group as `peer` when reproducing a run', () => {
    expect(scenarioList(['reads', 'peer-login', 'peer-read', 'peer-signup'])).toBe('reads,peer');
    expect(scenarioList(['peer-read'])).toBe('peer-read');
  });
});
