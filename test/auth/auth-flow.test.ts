import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, newUserBody, startTestService, type TestService, type Tokens } from '../support/test-service.js';

/** The README's auth walkthrough, through the whole pipeline, with real tokens. */
describe('auth: register, login, me, refresh rotation, reuse detection, logout', () => {
  let service: TestService;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const me = (token: string) =>
    fetch(`${service.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    service = await startTestService('pglite');
  });
  afterAll(() => service.stop());

  it('lets a registrant follow its own sign-up without a token, and nobody else', async () => {
    const accepted = await post('/api/v1/auth/register', newUserBody('follow'));
    expect(accepted.status).toBe(202);
    const location = accepted.headers.get('location')!;
    const follow = async (headers: Record<string, string> = {}) => {
      for (let i = 0; i < 100; i++) {
        const answer = await fetch(`${service.url}${location}`, { headers });
        const body = (await answer.json()) as { status: string };
        if (answer.status !== 200 || body.status !== 'pending') return { status: answer.status, body };
        await sleep(50);
      }
      throw new Error('the sign-up never finished');
    };
    expect(await follow()).toMatchObject({ status: 200, body: { type: 'users.create_user', status: 'succeeded' } });
    // Another caller (here: a signed-in user who did not start it) is told the command does not exist.
    const someone = await login(service.url, 'personfollow@example.com', 'compiler-pioneer-1952');
    expect((await follow({ authorization: `Bearer ${someone.accessToken}` })).status).toBe(404);
  });

  it('signs up, signs in, refreshes once, refuses the old token and then the whole session', async () => {
    const registered = await post('/api/v1/auth/register', newUserBody('auth1'), { prefer: 'wait=10' });
    expect(registered.status).toBe(201);
    const user = (await registered.json()) as { id: string; roles: string[] };
    expect(user.roles).toEqual(['user']);

    const first = await login(service.url, 'personauth1@example.com', 'compiler-pioneer-1952');
    expect(first.tokenType).toBe('Bearer');
    expect(first.expiresIn).toBe(900);
    expect(((await (await me(first.accessToken)).json()) as { id: string }).id).toBe(user.id);

    const rotated = await post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(rotated.status).toBe(200);
    const second = (await rotated.json()) as Tokens;
    expect(second.refreshToken).not.toBe(first.refreshToken);

    // Within the 10 s grace the just-replaced token still works once more (a lost response retried)…
    const graceRetry = await post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(graceRetry.status).toBe(200);
    const third = (await graceRetry.json()) as Tokens;

    // …but a token two rotations old is a leak: 401 refresh_token_reused, and the session ends.
    const fourth = (await (await post('/api/v1/auth/refresh', { refreshToken: third.refreshToken })).json()) as Tokens;
    const reused = await post('/api/v1/auth/refresh', { refreshToken: second.refreshToken });
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as { code: string }).code).toBe('refresh_token_reused');
    const afterRevocation = await post('/api/v1/auth/refresh', { refreshToken: fourth.refreshToken });
    expect(((await afterRevocation.json()) as { code: string }).code).toBe('refresh_token_invalid');
    expect((await me(fourth.accessToken)).status).toBe(401);
  });

  it('logs out: the access token is refused at once and the refresh token no longer works', async () => {
    await post('/api/v1/auth/register', newUserBody('auth2'), { prefer: 'wait=10' });
    const tokens = await login(service.url, 'personauth2@example.com', 'compiler-pioneer-1952');
    expect((await me(tokens.accessToken)).status).toBe(200);
    // As curl sends it: no body, no Content-Type.
    const out = await fetch(`${service.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(out.status).toBe(204);
    const refused = await me(tokens.accessToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');
    const refresh = await post('/api/v1/auth/refresh', { refreshToken: tokens.refreshToken });
    expect(((await refresh.json()) as { code: string }).code).toBe('refresh_token_invalid');
  });

  it('refuses the token of a deactivated user from the moment the deactivation answered', async () => {
    const created = await post('/api/v1/auth/register', newUserBody('auth3'), { prefer: 'wait=10' });
    const user = (await created.json()) as { id: string };
    const tokens = await login(service.url, 'personauth3@example.com', 'compiler-pioneer-1952');
    expect((await me(tokens.accessToken)).status).toBe(200);
    const deactivated = await post(`/api/v1/users/${user.id}/deactivate`, undefined, {
      authorization: `Bearer ${service.adminToken}`,
      prefer: 'wait=10',
    });
    expect(deactivated.status).toBe(200);
    expect((await me(tokens.accessToken)).status).toBe(401);
    const again = await post('/api/v1/auth/login', {
      email: 'personauth3@example.com',
      password: 'compiler-pioneer-1952',
    });
    expect(((await again.json()) as { code: string }).code).toBe('invalid_credentials');
  });

  it('lists the audit trail to an admin, newest first, and refuses it to anyone else', async () => {
    const created = await post('/api/v1/auth/register', newUserBody('audited'), { prefer: 'wait=10' });
    const user = (await created.json()) as { id: string };
    await post('/api/v1/auth/login', { email: 'personaudited@example.com', password: 'wrong-password-here' });
    const tokens = await login(service.url, 'personaudited@example.com', 'compiler-pioneer-1952');
    await post('/api/v1/auth/logout', {}, { authorization: `Bearer ${tokens.accessToken}` });

    const audit = await fetch(`${service.url}/api/v1/users/${user.id}/audit`, {
      headers: { authorization: `Bearer ${service.adminToken}` },
    });
    expect(audit.status).toBe(200);
    const { items } = (await audit.json()) as { items: { type: string; reason: string | null }[] };
    expect(items.map((e) => e.type)).toEqual(['auth.session.revoked', 'auth.login.succeeded', 'auth.login.failed']);
    expect(items[0]!.reason).toBe('logout');

    const asUser = await fetch(`${service.url}/api/v1/users/${user.id}/audit`, {
      headers: {
        authorization: `Bearer ${(await login(service.url, 'personaudited@example.com', 'compiler-pioneer-1952')).accessToken}`,
      },
    });
    expect(asUser.status).toBe(403);
  });
});
