import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
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

/**
 * Reads every row of every table of the contexts and the platform, and fails on any that holds
 * one of `secrets` (case ignored). Answers the tables read and how many rows, to check the scan saw them.
 */
export async function expectNoSecretInTables(
  database: Database,
  secrets: readonly string[],
): Promise<{ tables: string[]; scanned: number }> {
  const tables = await database.query<{ schema: string; name: string }>(sql`
    select table_schema as schema, table_name as name from information_schema.tables
     where table_schema in ('users', 'auth', 'read', 'messaging', 'mail', 'oidc') and table_type = 'BASE TABLE'`);
  let scanned = 0;
  for (const { schema, name } of tables.rows) {
    const rows = await database.query<{ row: unknown }>(
      sql.raw(`select row_to_json(t) as row from "${schema}"."${name}" t`),
    );
    for (const { row } of rows.rows) {
      scanned += 1;
      const text = JSON.stringify(row).toLowerCase();
      for (const secret of secrets) expect(text, `${schema}.${name}`).not.toContain(secret.toLowerCase());
    }
  }
  return { tables: tables.rows.map((t) => `${t.schema}.${t.name}`), scanned };
}
