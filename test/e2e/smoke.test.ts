import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../support/postgres.js';
import { rabbitmqAvailable } from '../support/rabbitmq.js';
import { newUserBody, startTestService, type Engine, type TestService } from '../support/test-service.js';

const engines: Engine[] = ['pglite'];
if (await postgresAvailable()) engines.push('postgres');
if ((await postgresAvailable()) && (await rabbitmqAvailable())) engines.push('rabbitmq');

describe.each(engines)('smoke on %s: create, read back, update', (engine) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(engine);
  });
  afterAll(() => service.stop());

  it('creates a user with Prefer: wait, reads it by id, and applies a PATCH', async () => {
    const created = await fetch(`${service.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'wait=5', authorization: `Bearer ${service.adminToken}` },
      body: JSON.stringify(newUserBody(1)),
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string; email: string };
    const read = await fetch(`${service.url}/api/v1/users/${user.id}`, {
      headers: { authorization: `Bearer ${service.adminToken}` },
    });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { email: string }).email).toBe('person1@example.com');

    const patched = await fetch(`${service.url}/api/v1/users/${user.id}`, {
      method: 'PATCH',
      headers: {
        'content-type': 'application/json',
        prefer: 'wait=5',
        'if-match': '"1"',
        authorization: `Bearer ${service.adminToken}`,
      },
      body: JSON.stringify({ lastName: 'Murray Hopper' }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ lastName: 'Murray Hopper', version: 2 });
  });
});
