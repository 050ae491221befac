import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresAvailable } from '../support/postgres.js';
import { newUserBody, startTestService, type TestService } from '../support/test-service.js';

const withPostgres = await postgresAvailable();

/** Cuts the service off its real PostgreSQL database, then lets it back in. */
async function setConnections(databaseUrl: string, allowed: boolean): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`alter database ${name} with allow_connections ${allowed}`);
  if (!allowed) {
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
  }
  await admin.end();
}

describe.skipIf(!withPostgres)('when the database is unreachable (real PostgreSQL)', () => {
  let service: TestService;
  let databaseUrl: string;

  beforeAll(async () => {
    service = await startTestService('postgres');
    databaseUrl = service.runtime.config.databaseUrl!;
  });
  afterAll(async () => {
    await setConnections(databaseUrl, true);
    await service.stop();
  });

  it('refuses commands with 503 + Retry-After instead of 202, reports not ready, and recovers', async () => {
    await setConnections(databaseUrl, false);

    const refused = await fetch(`${service.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${service.adminToken}` },
      body: JSON.stringify(newUserBody('down')),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(((await refused.json()) as { code: string }).code).toBe('service_unavailable');

    const ready = await fetch(`${service.url}/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.database).toMatch(/^failing/);

    await setConnections(databaseUrl, true);
    const accepted = await fetch(`${service.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'wait=10', authorization: `Bearer ${service.adminToken}` },
      body: JSON.stringify(newUserBody('up')),
    });
    expect(accepted.status).toBe(201);
  });
});
