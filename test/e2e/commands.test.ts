import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeEngines, expectProblem, unique, UUID_RE, type CommandBody, type UserBody } from '../support/e2e.js';
import { newUserBody } from '../support/test-service.js';

interface Accepted {
  commandId: string;
  status: 'pending';
  resourceId: string;
}

const COMMAND_FIELDS = ['commandId', 'completedAt', 'createdAt', 'error', 'resourceId', 'status', 'type'];

describeEngines('commands: the asynchronous write journey', (api, _engine, service) => {
  async function accept(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const reply = await api().request<Accepted>(method, path, { ...(body !== undefined && { body }), headers });
    expect(reply.status, reply.text).toBe(202);
    expect(reply.headers.get('location')).toBe(`/api/v1/commands/${reply.body.commandId}`);
    expect(reply.body.status).toBe('pending');
    return reply.body;
  }

  it('every write is a command that ends succeeded, with its type and resource', async () => {
    // The contract promises no order between commands in flight (the worker runs several at
    // once), so each step waits for the previous one to finish.
    const created = await accept('POST', '/api/v1/users', newUserBody(unique()));
    const id = created.resourceId;
    const steps: [() => Promise<Accepted>, string][] = [
      [async () => created, 'users.create_user'],
      [() => accept('PATCH', `/api/v1/users/${id}`, { firstName: 'Later' }), 'users.update_profile'],
      [() => accept('POST', `/api/v1/users/${id}/deactivate`), 'users.deactivate_user'],
      [() => accept('POST', `/api/v1/users/${id}/activate`), 'users.activate_user'],
    ];
    for (const [start, type] of steps) {
      const accepted = await start();
      expect(accepted.resourceId).toBe(id);
      const command = await api().settle(accepted.commandId);
      expect(command, type).toMatchObject({ commandId: accepted.commandId, type, status: 'succeeded', resourceId: id });
      expect(Object.keys(command).every((k) => COMMAND_FIELDS.includes(k))).toBe(true);
      expect(Date.parse(command.completedAt!)).toBeGreaterThanOrEqual(Date.parse(command.createdAt));
      expect(new Date(command.createdAt).toISOString()).toBe(command.createdAt);
    }
    const user = await api().eventually<UserBody>(
      `/api/v1/users/${id}`,
      (r) => r.status === 200 && r.body.version === 4,
    );
    expect(user.body).toMatchObject({ firstName: 'Later', status: 'active', version: 4 });

    const deleted = await accept('DELETE', `/api/v1/users/${id}`);
    expect(await api().settle(deleted.commandId)).toMatchObject({ type: 'users.delete_user', status: 'succeeded' });
    await api().eventually(`/api/v1/users/${id}`, (r) => r.status === 404);
  });

  it('a refused command ends failed with the problem as its error', async () => {
    const missing = '0190a8d2-0000-7000-8000-0000000000ff';
    const cases: [Accepted, number, string][] = [
      [await accept('PATCH', `/api/v1/users/${missing}`, { lastName: 'Nobody' }), 404, 'not_found'],
      [await accept('POST', `/api/v1/users/${missing}/deactivate`), 404, 'not_found'],
      [await accept('POST', `/api/v1/users/${missing}/activate`), 404, 'not_found'],
      [await accept('DELETE', `/api/v1/users/${missing}`), 404, 'not_found'],
    ];
    const user = await api().createUser();
    cases.push([
      await accept('POST', '/api/v1/users', newUserBody(unique(), { email: user.email })),
      409,
      'email_taken',
    ]);
    cases.push([
      await accept('POST', '/api/v1/users', newUserBody(unique(), { username: user.username })),
      409,
      'username_taken',
    ]);
    cases.push([
      await accept('PATCH', `/api/v1/users/${user.id}`, { firstName: 'X' }, { 'if-match': '"7"' }),
      412,
      'version_conflict',
    ]);

    for (const [accepted, status, code] of cases) {
      const command = await api().settle(accepted.commandId);
      expect(command.status, code).toBe('failed');
      expect(command.completedAt).toEqual(expect.any(String));
      expect(command.error).toMatchObject({
        status,
        code,
        type: expect.any(String),
        title: expect.any(String),
        detail: expect.any(String),
      });
    }
  });

  it('a pending or finished command can be read many times; an unknown one is 404, a malformed id 400', async () => {
    const accepted = await accept('POST', '/api/v1/users', newUserBody(unique()));
    const early = await api().get<CommandBody>(`/api/v1/commands/${accepted.commandId}`);
    expect(early.status).toBe(200);
    expect(['pending', 'succeeded']).toContain(early.body.status);
    if (early.body.status === 'pending') expect(early.body.completedAt).toBeUndefined();
    const done = await api().settle(accepted.commandId);
    const again = await api().get<CommandBody>(`/api/v1/commands/${accepted.commandId}`);
    expect(again.body).toEqual(done);

    expectProblem(await api().get('/api/v1/commands/0190a8d2-0000-7000-8000-000000000000'), 404, 'not_found');
    // A user id is not a command id.
    expectProblem(await api().get(`/api/v1/commands/${accepted.resourceId}`), 404, 'not_found');
    expectProblem(await api().get('/api/v1/commands/pending'), 400, 'validation_failed');
  });

  it('the request id becomes the correlation id of the command it starts', async () => {
    const requestId = `corr-${unique()}`;
    const accepted = await accept('POST', '/api/v1/users', newUserBody(unique()), { 'x-request-id': requestId });
    const rows = await service().runtime.database.query<{ correlation_id: string }>(
      sql`select correlation_id from messaging.command_status where command_id = ${accepted.commandId}`,
    );
    expect(rows.rows).toEqual([{ correlation_id: requestId }]);
  });

  it('Prefer: wait is a hint: a malformed or zero wait answers 202, a valid one the final result', async () => {
    for (const prefer of ['wait=0', 'wait=abc', 'wait', 'respond-async', 'wait=-3', '']) {
      const reply = await api().request<Accepted>('POST', '/api/v1/users', {
        body: newUserBody(unique()),
        headers: { prefer },
      });
      expect(reply.status, `Prefer: ${prefer}`).toBe(202);
      expect(reply.headers.get('preference-applied')).toBeNull();
      expect(reply.body.commandId).toMatch(UUID_RE);
    }
    for (const [prefer, applied] of [
      ['wait=1', 'wait=1'],
      ['WAIT = "3"', 'wait=3'],
      ['handling=lenient, wait=2', 'wait=2'],
    ]) {
      const reply = await api().request<UserBody>('POST', '/api/v1/users', {
        body: newUserBody(unique()),
        headers: { prefer: prefer! },
      });
      expect(reply.status, `Prefer: ${prefer}: ${reply.text}`).toBe(201);
      expect(reply.headers.get('preference-applied')).toBe(applied);
    }
  });

  it('a failed command answered with Prefer: wait is a problem with the command error, not a 202', async () => {
    const reply = await api().request('POST', '/api/v1/users/0190a8d2-0000-7000-8000-0000000000ee/activate', {
      headers: { prefer: 'wait=5' },
    });
    expectProblem(reply, 404, 'not_found');
    expect(reply.headers.get('location')).toBeNull();
  });
});
