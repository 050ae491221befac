/**
 * The HTTP load generator: autocannon's programmatic API, in a process of its own so the load never
 * shares a CPU budget (or an event loop) with the service being measured. Started by
 * bench/lib/load.ts; receives a LoadSpec, answers a LoadResult.
 */
import autocannon from 'autocannon';
import { report, serve } from '../lib/child.js';
import type { LoadResult, LoadSpec } from '../lib/load-spec.js';

type Request = autocannon.Request;

const EXHAUSTED = 'the refresh-token pool ran dry: requests went out with no valid token';

function requestsFor(spec: LoadSpec, failures: string[]): Request[] {
  const recordFailure = (status: number, body: string) => {
    const sample = `${status} ${body.slice(0, 300)}`;
    if (status >= 300 && failures.length < 5 && !failures.includes(sample)) failures.push(sample);
  };
  const source = spec.requests;
  if (source.kind === 'cycle') {
    let counter = 0;
    return [
      {
        method: source.method,
        headers: source.headers,
        setupRequest: (request: Request) => {
          const n = counter++;
          const item = source.items[n % source.items.length]!;
          const fill = (text: string) => text.replaceAll('{n}', String(n));
          return {
            ...request,
            method: source.method,
            path: fill(item.path),
            headers: source.headers,
            ...(item.body !== undefined && { body: fill(item.body) }),
          };
        },
        onResponse: (status: number, body: string) => recordFailure(status, body),
      },
    ];
  }
  const pool = [...source.tokens];
  return [
    {
      method: 'POST',
      path: source.path,
      headers: { 'content-type': 'application/json' },
      setupRequest: (request: Request) => {
        const token = pool.pop();
        // An empty pool means tokens were lost to errors: the request is refused (and counted).
        if (token === undefined && !failures.includes(EXHAUSTED)) failures.push(EXHAUSTED);
        return { ...request, body: JSON.stringify({ refreshToken: token ?? 'exhausted-pool' }) };
      },
      onResponse: (status: number, body: string) => {
        if (status === 200) {
          const token = (JSON.parse(body) as { refreshToken?: string }).refreshToken;
          if (token) pool.push(token);
        } else {
          recordFailure(status, body);
        }
      },
    },
  ];
}

function attack(spec: LoadSpec, requests: Request[], durationSeconds: number, onResponse?: (status: number) => void) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: durationSeconds,
        timeout: spec.timeoutSeconds ?? 30,
        ...(spec.overallRate !== undefined && { overallRate: spec.overallRate }),
        requests,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (onResponse) instance.on('response', (_client, status) => onResponse(status));
  });
}

serve<LoadSpec>(async (spec) => {
  const failures: string[] = [];
  // Built once: the warm-up and the measured run share the counter and the refresh-token pool.
  const requests = requestsFor(spec, failures);
  if (spec.warmupSeconds > 0) await attack(spec, requests, spec.warmupSeconds);
  failures.length = 0;
  report({ type: 'measuring' });
  let done = 0;
  let ok = 0;
  const started = performance.now();
  const ticker = setInterval(
    () => report({ type: 'progress', done, ok, elapsedSeconds: (performance.now() - started) / 1000 }),
    1_000,
  );
  const result = await attack(spec, requests, spec.durationSeconds, (status) => {
    done += 1;
    if (status >= 200 && status < 300) ok += 1;
  }).finally(() => clearInterval(ticker));
  const statusCodes: Record<string, number> = {};
  const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  for (const [code, { count }] of Object.entries(stats)) statusCodes[code] = count;
  const answer: LoadResult = {
    durationSeconds: result.duration,
    requests: result.requests.total,
    ok: result['2xx'],
    okPerSecond: result['2xx'] / result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    sampleFailures: failures,
  };
  return answer;
});

report({ type: 'ready' });
