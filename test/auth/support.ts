import { afterAll, beforeAll } from 'vitest';
import { newUserBody, startTestService, type TestService } from '../support/test-service.js';

/** A JSON request to the service; `token` adds the bearer header. */
export function call(
  service: TestService,
  method: string,
  path: string,
  body?: unknown,
  token?: string | null,
  headers: Record<string, string> = {},
) {
  return fetch(`${service.url}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

export async function codeOf(response: Response): Promise<string> {
  return ((await response.json()) as { code: string }).code;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * One embedded service for the enclosing describe block, started with `env` before its tests and
 * stopped after them; each name in `users` is signed up (and applied) first: person<name>@example.com.
 */
export function suiteService(env: Record<string, string>, users: readonly string[] = []): () => TestService {
  let service: TestService | undefined;
  beforeAll(async () => {
    service = await startTestService('pglite', env);
    for (const name of users) {
      await call(service, 'POST', '/api/v1/auth/register', newUserBody(name), null, { prefer: 'wait=10' });
    }
  });
  afterAll(() => service?.stop());
  return () => {
    if (!service) throw new Error('the service did not start');
    return service;
  };
}
