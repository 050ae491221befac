/**
 * HTTP load from clients that behave as the API asks them to: a client told `503` + `Retry-After`
 * waits that long before its next request, as DESIGN.md §4 expects of callers. autocannon cannot
 * pause a connection, and without the pause an overloaded service spends its CPU answering 503s
 * (thousands a second) instead of applying commands. A fixed rate is spread evenly over each
 * second (each client sends on its own schedule), not sent in bursts. Same LoadSpec/LoadResult as
 * load.ts, so the orchestrator treats both alike.
 */
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { report, serve } from '../lib/child.js';
import type { CycleRequests, LoadResult, LoadSpec } from '../lib/load-spec.js';

interface Tally {
  readonly latencies: number[];
  readonly statusCodes: Record<string, number>;
  readonly failures: string[];
  done: number;
  ok: number;
  errors: number;
  retryAfterWaits: number;
}

function send(agent: Agent, url: URL, source: CycleRequests, n: number, timeoutMs: number) {
  const item = source.items[n % source.items.length]!;
  const fill = (text: string) => text.replaceAll('{n}', String(n));
  const body = item.body === undefined ? undefined : fill(item.body);
  return new Promise<{ status: number; retryAfter: number | null; body: string }>((resolve, reject) => {
    const req = request(
      url,
      { agent, method: source.method, path: fill(item.path), headers: source.headers, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const header = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: header === undefined ? null : Number(header),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

async function run(spec: LoadSpec, seconds: number, tally: Tally, counter: { n: number }): Promise<number> {
  if (spec.requests.kind !== 'cycle') throw new Error('client-load sends cycle requests only');
  const source = spec.requests;
  const url = new URL(spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const started = performance.now();
  const end = started + seconds * 1000;
  const interval = spec.overallRate ? (1000 * spec.connections) / spec.overallRate : 0;
  const client = async (index: number) => {
    // Clients start spread over one interval so a fixed rate arrives evenly.
    let next = started + (interval * index) / spec.connections;
    while (performance.now() < end) {
      if (interval > 0) {
        const wait = next - performance.now();
        if (wait > 0) await sleep(wait);
        next += interval;
        if (performance.now() >= end) break;
      }
      const sent = performance.now();
      try {
        const answer = await send(agent, url, source, counter.n++, (spec.timeoutSeconds ?? 30) * 1000);
        tally.done += 1;
        tally.latencies.push(performance.now() - sent);
        tally.statusCodes[answer.status] = (tally.statusCodes[answer.status] ?? 0) + 1;
        if (answer.status >= 200 && answer.status < 300) tally.ok += 1;
        else if (tally.failures.length < 5 && answer.status !== 503)
          tally.failures.push(`${answer.status} ${answer.body.slice(0, 300)}`);
        if (answer.status === 503 && answer.retryAfter !== null && answer.retryAfter > 0) {
          tally.retryAfterWaits += 1;
          await sleep(Math.min(answer.retryAfter * 1000, Math.max(0, end - performance.now())));
          next = Math.max(next, performance.now());
        }
      } catch (error) {
        tally.done += 1;
        tally.errors += 1;
        if (tally.failures.length < 5) tally.failures.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, (_, i) => client(i)));
  agent.destroy();
  return (performance.now() - started) / 1000;
}

const newTally = (): Tally => ({
  latencies: [],
  statusCodes: {},
  failures: [],
  done: 0,
  ok: 0,
  errors: 0,
  retryAfterWaits: 0,
});

serve<LoadSpec>(async (spec) => {
  const counter = { n: 0 };
  if (spec.warmupSeconds > 0) await run(spec, spec.warmupSeconds, newTally(), counter);
  report({ type: 'measuring' });
  const tally = newTally();
  const started = performance.now();
  const ticker = setInterval(
    () =>
      report({
        type: 'progress',
        done: tally.done,
        ok: tally.ok,
        elapsedSeconds: (performance.now() - started) / 1000,
      }),
    1_000,
  );
  const duration = await run(spec, spec.durationSeconds, tally, counter).finally(() => clearInterval(ticker));
  const sorted = [...tally.latencies].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
  const answer: LoadResult = {
    durationSeconds: duration,
    requests: tally.done,
    ok: tally.ok,
    okPerSecond: tally.ok / duration,
    non2xx: tally.done - tally.ok - tally.errors,
    errors: tally.errors,
    timeouts: 0,
    statusCodes: tally.statusCodes,
    latencyMs: {
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: sorted.at(-1) ?? 0,
      mean: sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length),
    },
    sampleFailures: tally.failures,
  };
  return answer;
});

report({ type: 'ready' });
