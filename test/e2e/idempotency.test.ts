import { expect, it } from 'vitest';
import { countCommands, describeEngines, expectProblem, unique, type Reply, type UserBody } from '../support/e2e.js';
import { newUserBody } from '../support/test-service.js';

interface Accepted {
  commandId: string;
  status: string;
  resourceId: string;
}

const key = () => `key-${unique()}-${Math.random().toString(36).slice(2)}`;

function expectSameAnswer(first: Reply, again: Reply): void {
  expect(again.status).toBe(first.status);
  expect(again.body).toEqual(first.body);
  expect(again.headers.get('location')).toBe(first.headers.get('location'));
}

describeEngines('Idempotency-Key', (api, _engine, service) => {
  it('a repeat with the same key and body gets the first answer again and starts no second command', async () => {
    const body = newUserBody(unique());
    const headers = { 'idempotency-key': key() };
    const before = await countCommands(service());

    const first = await api().request<Accepted>('POST', '/api/v1/users', { body, headers });
    expect(first.status, first.text).toBe(202);
    await api().settle(first.body.commandId);

    // Even once the command has finished, the repeat gets the original 202, not a 201 or a 409.
    const again = await api().request<Accepted>('POST', '/api/v1/users', { body, headers });
    expectSameAnswer(first, again);
    expect(again.body.commandId).toBe(first.body.commandId);
    expect(await countCommands(service())).toBe(before + 1);

    // The read model catches up with exactly one user for the email.
    const listed = await api().eventually<{ items: UserBody[] }>(
      `/api/v1/users?email=${encodeURIComponent(body.email)}`,
      (r) => r.status === 200 && r.body.items.length > 0,
    );
    expect(listed.body.items.map((u) => u.id)).toEqual([first.body.resourceId]);
  });

  it('replays a Prefer: wait answer (201 with the user) and a refusal (409) the same way', async () => {
    const body = newUserBody(unique());
    const headers = { 'idempotency-key': key(), prefer: 'wait=5' };
    const first = await api().request<UserBody>('POST', '/api/v1/users', { body, headers });
    expect(first.status, first.text).toBe(201);
    const before = await countCommands(service());
    const again = await api().request<UserBody>('POST', '/api/v1/users', { body, headers });
    expectSameAnswer(first, again);
    expect(again.headers.get('preference-applied')).toBe('wait=5');
    expect(await countCommands(service())).toBe(before);

    // The same email under a new key: refused by the worker; its repeat replays the refusal.
    const clash = newUserBody(unique(), { email: body.email });
    const clashHeaders = { 'idempotency-key': key(), prefer: 'wait=5' };
    const refused = await api().request('POST', '/api/v1/users', { body: clash, headers: clashHeaders });
    expectProblem(refused, 409, 'email_taken');
    const refusedAgain = await api().request('POST', '/api/v1/users', { body: clash, headers: clashHeaders });
    expectSameAnswer(refused, refusedAgain);
    expect(refusedAgain.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('the same key with a different body, path or If-Match answers 422 idempotency_key_reused', async () => {
    const user = await api().createUser();
    const k = key();
    const first = await api().request('PATCH', `/api/v1/users/${user.id}`, {
      body: { firstName: 'Once' },
      headers: { 'idempotency-key': k, prefer: 'wait=5' },
    });
    expect(first.status, first.text).toBe(200);
    const before = await countCommands(service());

    const otherBody = await api().request('PATCH', `/api/v1/users/${user.id}`, {
      body: { firstName: 'Twice' },
      headers: { 'idempotency-key': k, prefer: 'wait=5' },
    });
    expectProblem(otherBody, 422, 'idempotency_key_reused');

    const other = await api().createUser();
    const otherPath = await api().request('PATCH', `/api/v1/users/${other.id}`, {
      body: { firstName: 'Once' },
      headers: { 'idempotency-key': k },
    });
    expectProblem(otherPath, 422, 'idempotency_key_reused');

    const otherIfMatch = await api().request('PATCH', `/api/v1/users/${user.id}`, {
      body: { firstName: 'Once' },
      headers: { 'idempotency-key': k, 'if-match': '"1"' },
    });
    expectProblem(otherIfMatch, 422, 'idempotency_key_reused');

    const createUser = await api().request('POST', '/api/v1/users', {
      body: newUserBody(unique()),
      headers: { 'idempotency-key': k },
    });
    expectProblem(createUser, 422, 'idempotency_key_reused');
    // One command: creating `other`. None of the refused repeats started one.
    expect(await countCommands(service())).toBe(before + 1);

    // The original repeat still replays.
    const replay = await api().request('PATCH', `/api/v1/users/${user.id}`, {
      body: { firstName: 'Once' },
      headers: { 'idempotency-key': k, prefer: 'wait=5' },
    });
    expectSameAnswer(first, replay);
    const read = await api().get<UserBody>(`/api/v1/users/${user.id}`);
    expect(read.body.firstName).toBe('Once');
  });

  it('concurrent requests with the same key start exactly one command and all get its id', async () => {
    const body = newUserBody(unique());
    const headers = { 'idempotency-key': key() };
    const before = await countCommands(service());
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => api().request<Accepted>('POST', '/api/v1/users', { body, headers })),
    );
    for (const reply of replies) {
      expect(reply.status, reply.text).toBe(202);
      expect(reply.body).toEqual(replies[0]!.body);
    }
    expect(await countCommands(service())).toBe(before + 1);
    const command = await api().settle(replies[0]!.body.commandId);
    expect(command.status).toBe('succeeded');
  });

  it('concurrent waiting requests with the same key start one command; once it has answered, repeats get its answer', async () => {
    const body = newUserBody(unique());
    const headers = { 'idempotency-key': key(), prefer: 'wait=10' };
    const before = await countCommands(service());
    const replies = await Promise.all([
      api().request<UserBody & Accepted>('POST', '/api/v1/users', { body, headers }),
      api().request<UserBody & Accepted>('POST', '/api/v1/users', { body, headers }),
    ]);
    expect(await countCommands(service())).toBe(before + 1);
    // A repeat that arrives while the first still waits may get the stored 202 of the same command.
    const created = replies.find((r) => r.status === 201);
    expect(created, replies.map((r) => `${r.status} ${r.text}`).join('\n')).toBeDefined();
    for (const reply of replies) {
      expect([201, 202]).toContain(reply.status);
      if (reply.status === 202) expect(reply.body.resourceId).toBe(created!.body.id);
      else expectSameAnswer(created!, reply);
    }
    const later = await api().request<UserBody>('POST', '/api/v1/users', { body, headers });
    expectSameAnswer(created!, later);
    expect(await countCommands(service())).toBe(before + 1);
  });

  it('DELETE repeated with its key answers 204 again instead of 404; without a key the repeat is 404', async () => {
    const user = await api().createUser();
    const headers = { 'idempotency-key': key(), prefer: 'wait=5' };
    const first = await api().request('DELETE', `/api/v1/users/${user.id}`, { headers });
    expect(first.status, first.text).toBe(204);
    const again = await api().request('DELETE', `/api/v1/users/${user.id}`, { headers });
    expect(again.status).toBe(204);
    expect(again.text).toBe('');
    expectProblem(
      await api().request('DELETE', `/api/v1/users/${user.id}`, { headers: { prefer: 'wait=5' } }),
      404,
      'not_found',
    );
  });

  it('keys are per operation: deactivate and activate with different keys both apply', async () => {
    const user = await api().createUser();
    const off = await api().request<UserBody>('POST', `/api/v1/users/${user.id}/deactivate`, {
      headers: { 'idempotency-key': key(), prefer: 'wait=5' },
    });
    expect(off.body.status).toBe('deactivated');
    const on = await api().request<UserBody>('POST', `/api/v1/users/${user.id}/activate`, {
      headers: { 'idempotency-key': key(), prefer: 'wait=5' },
    });
    expect(on.body.status).toBe('active');
  });

  it.each([
    ['too long', 'k'.repeat(256)],
    ['a control character', 'a\tb'],
    ['non-ASCII', 'clé'],
  ])('refuses a key that is %s with 400 validation_failed', async (_why, badKey) => {
    const reply = await api().request('POST', '/api/v1/users', {
      body: newUserBody(unique()),
      headers: { 'idempotency-key': badKey },
    });
    const problem = expectProblem(reply, 400, 'validation_failed');
    expect(problem.errors?.[0]?.field).toBe('Idempotency-Key');
  });

  it('accepts a 255-character key of printable ASCII', async () => {
    const longKey = `${key()}!~ "`.padEnd(255, '#');
    const reply = await api().request<Accepted>('POST', '/api/v1/users', {
      body: newUserBody(unique()),
      headers: { 'idempotency-key': longKey },
    });
    expect(reply.status, reply.text).toBe(202);
  });
});
