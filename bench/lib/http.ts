/** The orchestrator's own HTTP requests (seeding, logging in, probing), never the measured load. */

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export async function call(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: unknown },
  timeoutMs = 60_000,
): Promise<Answer> {
  const response = await fetch(url, {
    method: init.method,
    headers: { ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: response.status, body, headers: response.headers };
}

/**
 * `work(0)` … `work(count - 1)`, `concurrency` at a time, results in index order. Seeding a few at a
 * time keeps it quick without queueing dozens of hashes on the service at once.
 */
export async function inParallel<T>(count: number, concurrency: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await work(i);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
