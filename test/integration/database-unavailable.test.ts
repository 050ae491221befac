import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowConnections, postgresAvailable } from '../support/postgres.js';
import { newUserBody, startTestService, type TestService } from '../support/test-service.js';

const withPostgres = await postgresAvailable();

describe.skipIf(!withPostgres)('when the database is unreachable (real PostgreSQL)', () => {
  let service: TestService;
  let databaseUrl: string;

  beforeAll(async () => {
    service = await startTestService('postgres');
    databaseUrl = service.runtime.config.databaseUrl!;
  });
  afterAll(async () => {
    await allowConnections(databaseUrl, true);
    await service.stop();
  });

  it('refuses commands with 503 + Retry-After instead of 202, reports not ready, and recovers', async () => {
    await allowConnections(databaseUrl, false);

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

    await allowConnections(databaseUrl, true);
    const accepted = await fetch(`${service.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'wait=10', authorization: `Bearer ${service.adminToken}` },
      body: JSON.stringify(newUserBody('up')),
    });
    expect(accepted.status).toBe(201);
  });
});
