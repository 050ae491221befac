import { expect, it } from 'vitest';
import { describeEngines, expectNoSecrets, expectProblem, unique, UUID_RE, type UserBody } from '../support/e2e.js';
import { newUserBody } from '../support/test-service.js';

const USER_FIELDS = [
  'createdAt',
  'email',
  'emailVerified',
  'firstName',
  'id',
  'lastName',
  'locale',
  'roles',
  'status',
  'updatedAt',
  'username',
  'version',
];

describeEngines('users: writes through the whole pipeline', (api) => {
  it('POST /users answers 202 with Location and a pending command that then succeeds', async () => {
    const n = unique();
    const body = newUserBody(n);
    const accepted = await api().request<{ commandId: string; status: string; resourceId: string }>(
      'POST',
      '/api/v1/users',
      {
        body,
      },
    );
    expect(accepted.status, accepted.text).toBe(202);
    expect(accepted.body).toEqual({
      commandId: expect.stringMatching(UUID_RE),
      status: 'pending',
      resourceId: expect.stringMatching(UUID_RE),
    });
    expect(accepted.headers.get('location')).toBe(`/api/v1/commands/${accepted.body.commandId}`);
    expect(accepted.headers.get('preference-applied')).toBeNull();
    expectNoSecrets(accepted, body.password);

    const command = await api().settle(accepted.body.commandId);
    expect(command).toMatchObject({
      commandId: accepted.body.commandId,
      type: 'users.create_user',
      status: 'succeeded',
      resourceId: accepted.body.resourceId,
    });
    expect(Date.parse(command.createdAt)).not.toBeNaN();
    expect(Date.parse(command.completedAt ?? '')).not.toBeNaN();
    expect(command.error).toBeUndefined();

    // The read model catches up: the user is there, under the id the 202 announced.
    const read = await api().eventually<UserBody>(`/api/v1/users/${accepted.body.resourceId}`, (r) => r.status === 200);
    expect(read.body).toMatchObject({
      id: accepted.body.resourceId,
      email: body.email,
      username: body.username,
      version: 1,
    });
    expectNoSecrets(read, body.password);
  });

  it('POST /users with Prefer: wait=5 answers 201 with the user, Location and Preference-Applied', async () => {
    const n = unique();
    const body = newUserBody(n, {
      email: `  Mixed.Case${n}@Example.COM `,
      username: `Mixed${n}`,
      firstName: '  Ada ',
      lastName: 'Lovelace',
    });
    const created = await api().request<UserBody>('POST', '/api/v1/users', { body, headers: { prefer: 'wait=5' } });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    expect(created.headers.get('preference-applied')).toBe('wait=5');
    expect(created.headers.get('location')).toBe(`/api/v1/users/${created.body.id}`);
    expect(Object.keys(created.body).sort()).toEqual(USER_FIELDS);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(UUID_RE),
      email: `mixed.case${n}@example.com`,
      username: `mixed${n}`.toLowerCase(),
      firstName: 'Ada',
      lastName: 'Lovelace',
      roles: ['user'],
      status: 'active',
      version: 1,
    });
    expect(new Date(created.body.createdAt).toISOString()).toBe(created.body.createdAt);
    expectNoSecrets(created, body.password);

    const read = await api().get<UserBody>(`/api/v1/users/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('honours roles and caps an over-long wait at 30 s', async () => {
    const created = await api().request<UserBody>('POST', '/api/v1/users', {
      body: newUserBody(unique(), { roles: ['admin', 'user'] }),
      headers: { prefer: 'respond-async, wait=600' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('preference-applied')).toBe('wait=30');
    expect([...created.body.roles].sort()).toEqual(['admin', 'user']);
  });

  it('refuses a taken email (409 email_taken), case-insensitively, and a taken username (409 username_taken)', async () => {
    const first = await api().createUser();
    const sameEmail = await api().request('POST', '/api/v1/users', {
      body: newUserBody(unique(), { email: first.email.toUpperCase() }),
      headers: { prefer: 'wait=5' },
    });
    const problem = expectProblem(sameEmail, 409, 'email_taken');
    expect(problem.errors).toEqual([{ field: 'email', message: expect.any(String) }]);

    const sameUsername = await api().request('POST', '/api/v1/users', {
      body: newUserBody(unique(), { username: first.username }),
      headers: { prefer: 'wait=5' },
    });
    expectProblem(sameUsername, 409, 'username_taken');

    // Without Prefer: wait the refusal arrives through the command status.
    const accepted = await api().request<{ commandId: string }>('POST', '/api/v1/users', {
      body: newUserBody(unique(), { email: first.email }),
    });
    expect(accepted.status).toBe(202);
    const command = await api().settle(accepted.body.commandId);
    expect(command.status).toBe('failed');
    expect(command.error).toMatchObject({ status: 409, code: 'email_taken' });
  });

  it.each([
    ['too short', { password: 'short-pw' }],
    ['too long', { password: 'x'.repeat(129) }],
    ['a common password', { password: '1q2w3e4r5t6y' }],
    ['a common password in other case', { password: 'QWERTY123456' }],
    ['containing the username', { username: 'marvelous', password: 'my-MARVELOUS-secret-77' }],
    ['containing the email local part', { email: 'zanzibar@example.com', password: 'zanzibar-is-lovely-42' }],
  ])('refuses a weak password (%s) with 400 weak_password before any command', async (_why, overrides) => {
    const reply = await api().request('POST', '/api/v1/users', {
      body: newUserBody(unique(), overrides),
      headers: { prefer: 'wait=5' },
    });
    const problem = expectProblem(reply, 400, 'weak_password');
    expect(problem.errors?.[0]?.field).toBe('password');
    // The refusal names the rule, never echoes the password.
    expect(reply.text).not.toContain((overrides as { password: string }).password);
  });

  it.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: `${'a'.repeat(250)}@example.com` }],
    ['username', { username: 'ab' }],
    ['username', { username: '_leading' }],
    ['username', { username: 'has space' }],
    ['username', { username: 'x'.repeat(31) }],
    ['firstName', { firstName: '   ' }],
    ['lastName', { lastName: 'a\u0007b' }],
    ['firstName', { firstName: 'y'.repeat(101) }],
  ])('refuses an invalid %s with 400 validation_failed naming the field', async (field, overrides) => {
    const reply = await api().request('POST', '/api/v1/users', { body: newUserBody(unique(), overrides) });
    const problem = expectProblem(reply, 400, 'validation_failed');
    expect(problem.errors?.map((e) => e.field)).toContain(field);
  });

  it('reports every invalid field at once', async () => {
    const reply = await api().request('POST', '/api/v1/users', {
      body: newUserBody(unique(), { email: 'nope', username: '!', firstName: '' }),
    });
    const problem = expectProblem(reply, 400, 'validation_failed');
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(['email', 'firstName', 'username']);
  });

  it('PATCH with the current If-Match answers 200 with the updated user; a stale one answers 412', async () => {
    const user = await api().createUser();
    const read = await api().get<UserBody>(`/api/v1/users/${user.id}`);
    const etag = read.headers.get('etag');
    expect(etag).toBe(`"${user.version}"`);

    const newUsername = `renamed${unique()}`;
    const patched = await api().request<UserBody>('PATCH', `/api/v1/users/${user.id}`, {
      body: { firstName: 'Barbara', lastName: ' Liskov ', username: newUsername.toUpperCase() },
      headers: { prefer: 'wait=5', 'if-match': etag! },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.headers.get('preference-applied')).toBe('wait=5');
    expect(patched.body).toMatchObject({
      id: user.id,
      email: user.email,
      firstName: 'Barbara',
      lastName: 'Liskov',
      username: newUsername.toLowerCase(),
      version: user.version + 1,
      createdAt: user.createdAt,
    });
    expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(user.updatedAt));
    expectNoSecrets(patched);

    const after = await api().get<UserBody>(`/api/v1/users/${user.id}`);
    expect(after.headers.get('etag')).toBe(`"${user.version + 1}"`);

    // The old ETag is stale now.
    const stale = await api().request('PATCH', `/api/v1/users/${user.id}`, {
      body: { firstName: 'Stale' },
      headers: { prefer: 'wait=5', 'if-match': etag! },
    });
    expectProblem(stale, 412, 'version_conflict');
    const unchanged = await api().get<UserBody>(`/api/v1/users/${user.id}`);
    expect(unchanged.body.firstName).toBe('Barbara');

    // RFC 9110: strong comparison (a weak tag never matches), `*` matches, a list matches any member.
    const weak = await api().request('PATCH', `/api/v1/users/${user.id}`, {
      body: { lastName: 'Hoare' },
      headers: { prefer: 'wait=5', 'if-match': `W/"${user.version + 1}"` },
    });
    expectProblem(weak, 412, 'version_conflict');
    const list = await api().request<UserBody>('PATCH', `/api/v1/users/${user.id}`, {
      body: { lastName: 'Hoare' },
      headers: { prefer: 'wait=5', 'if-match': `"${user.version}", "${user.version + 1}"` },
    });
    expect(list.status, list.text).toBe(200);
    const any = await api().request<UserBody>('PATCH', `/api/v1/users/${user.id}`, {
      body: { lastName: 'Milner' },
      headers: { prefer: 'wait=5', 'if-match': '*' },
    });
    expect(any.status, any.text).toBe(200);
    expect(any.body.version).toBe(user.version + 3);
  });

  it('deactivate, activate and DELETE honour If-Match: a stale or weak tag 412, the current one applies', async () => {
    const user = await api().createUser();
    const write = (method: string, path: string, ifMatch: string) =>
      api().request<UserBody>(method, path, { headers: { prefer: 'wait=5', 'if-match': ifMatch } });
    const base = `/api/v1/users/${user.id}`;
    expectProblem(await write('POST', `${base}/deactivate`, `"${user.version + 1}"`), 412, 'version_conflict');
    expectProblem(await write('POST', `${base}/deactivate`, `W/"${user.version}"`), 412, 'version_conflict');
    expect((await api().get<UserBody>(base)).body.status).toBe('active');
    const deactivated = await write('POST', `${base}/deactivate`, `"${user.version}"`);
    expect(deactivated.status, deactivated.text).toBe(200);
    expectProblem(await write('POST', `${base}/activate`, `"${user.version}"`), 412, 'version_conflict');
    expect((await write('POST', `${base}/activate`, `"${user.version + 1}"`)).status).toBe(200);
    expectProblem(await write('DELETE', base, `"${user.version}"`), 412, 'version_conflict');
    expectProblem(await write('DELETE', base, '2'), 400, 'validation_failed');
    expect((await write('DELETE', base, `"${user.version + 2}"`)).status).toBe(204);
  });

  it('PATCH without If-Match applies; a stale one without waiting fails the command with version_conflict', async () => {
    const user = await api().createUser();
    const patched = await api().request<UserBody>('PATCH', `/api/v1/users/${user.id}`, {
      body: { firstName: 'Edsger' },
      headers: { prefer: 'wait=5' },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.firstName).toBe('Edsger');

    const accepted = await api().request<{ commandId: string; resourceId: string }>(
      'PATCH',
      `/api/v1/users/${user.id}`,
      {
        body: { firstName: 'Never' },
        headers: { 'if-match': '"1"' },
      },
    );
    expect(accepted.status).toBe(202);
    expect(accepted.body.resourceId).toBe(user.id);
    const command = await api().settle(accepted.body.commandId);
    expect(command).toMatchObject({
      type: 'users.update_profile',
      status: 'failed',
      error: { status: 412, code: 'version_conflict' },
    });
  });

  it('PATCH refusals: taken username 409, malformed If-Match 400, empty body 400, unknown user 404', async () => {
    const taken = await api().createUser();
    const user = await api().createUser();
    const conflict = await api().request('PATCH', `/api/v1/users/${user.id}`, {
      body: { username: taken.username },
      headers: { prefer: 'wait=5' },
    });
    expectProblem(conflict, 409, 'username_taken');

    const badIfMatch = await api().request('PATCH', `/api/v1/users/${user.id}`, {
      body: { firstName: 'X' },
      headers: { 'if-match': 'yesterday' },
    });
    expect(expectProblem(badIfMatch, 400, 'validation_failed').errors?.[0]?.field).toBe('If-Match');

    expectProblem(await api().request('PATCH', `/api/v1/users/${user.id}`, { body: {} }), 400, 'validation_failed');
    expectProblem(
      await api().request('PATCH', `/api/v1/users/${user.id}`, { body: { username: 'no way!' } }),
      400,
      'validation_failed',
    );

    const missing = await api().request('PATCH', '/api/v1/users/0190a8d2-0000-7000-8000-000000000000', {
      body: { firstName: 'Ghost' },
      headers: { prefer: 'wait=5' },
    });
    expectProblem(missing, 404, 'not_found');
  });

  it('deactivate and activate answer 200 with the status changed, and are idempotent', async () => {
    const user = await api().createUser();
    const deactivated = await api().request<UserBody>('POST', `/api/v1/users/${user.id}/deactivate`, {
      headers: { prefer: 'wait=5' },
    });
    expect(deactivated.status, deactivated.text).toBe(200);
    expect(deactivated.body).toMatchObject({ id: user.id, status: 'deactivated', version: user.version + 1 });
    expect(deactivated.headers.get('preference-applied')).toBe('wait=5');

    const again = await api().request<UserBody>('POST', `/api/v1/users/${user.id}/deactivate`, {
      headers: { prefer: 'wait=5' },
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ status: 'deactivated', version: user.version + 1 });

    // A JSON content type with an empty body is fine too.
    const activated = await api().request<UserBody>('POST', `/api/v1/users/${user.id}/activate`, {
      headers: { prefer: 'wait=5', 'content-type': 'application/json' },
    });
    expect(activated.status, activated.text).toBe(200);
    expect(activated.body).toMatchObject({ id: user.id, status: 'active', version: user.version + 2 });

    const read = await api().get<UserBody>(`/api/v1/users/${user.id}`);
    expect(read.body.status).toBe('active');

    const missing = await api().request('POST', '/api/v1/users/0190a8d2-0000-7000-8000-000000000001/deactivate', {
      headers: { prefer: 'wait=5' },
    });
    expectProblem(missing, 404, 'not_found');
  });

  it('DELETE answers 204, the user is gone, and the email and username can be used again', async () => {
    const user = await api().createUser();
    const deleted = await api().request('DELETE', `/api/v1/users/${user.id}`, { headers: { prefer: 'wait=5' } });
    expect(deleted.status, deleted.text).toBe(204);
    expect(deleted.text).toBe('');

    expectProblem(await api().get(`/api/v1/users/${user.id}`), 404, 'not_found');
    const listed = await api().get<{ items: UserBody[] }>(`/api/v1/users?email=${encodeURIComponent(user.email)}`);
    expect(listed.body.items).toEqual([]);

    const reused = await api().request<UserBody>('POST', '/api/v1/users', {
      body: newUserBody(unique(), { email: user.email, username: user.username }),
      headers: { prefer: 'wait=5' },
    });
    expect(reused.status, reused.text).toBe(201);
    expect(reused.body.id).not.toBe(user.id);
    expect(reused.body.email).toBe(user.email);

    // Deleting again: the user no longer exists.
    const twice = await api().request('DELETE', `/api/v1/users/${user.id}`, { headers: { prefer: 'wait=5' } });
    expectProblem(twice, 404, 'not_found');
  });

  it('DELETE without waiting answers 202 and the command succeeds', async () => {
    const user = await api().createUser();
    const accepted = await api().request<{ commandId: string; resourceId: string; status: string }>(
      'DELETE',
      `/api/v1/users/${user.id}`,
    );
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'pending', resourceId: user.id });
    const command = await api().settle(accepted.body.commandId);
    expect(command).toMatchObject({ type: 'users.delete_user', status: 'succeeded', resourceId: user.id });
    await api().eventually(`/api/v1/users/${user.id}`, (r) => r.status === 404);
  });
});
