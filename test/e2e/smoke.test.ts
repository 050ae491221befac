import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUserBody, startTestService, type TestService } from '../support/test-service.js';

describe('smoke: create and read back on embedded defaults', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('pglite');
  });
  afterAll(() => service.stop());

  it('creates a user with Prefer: wait and reads it by id', async () => {
    const created = await fetch(`${service.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'wait=5' },
      body: JSON.stringify(newUserBody(1)),
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string; email: string };
    const read = await fetch(`${service.url}/api/v1/users/${user.id}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { email: string }).email).toBe('person1@example.com');
  });
});
