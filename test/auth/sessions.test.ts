import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUserBody, startTestService, type Engine, type TestService } from '../support/test-service.js';
import { postgresAvailable } from '../support/postgres.js';

interface SessionItem {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ip: string | null;
  mfa: boolean;
  current: boolean;
}

const engines: Engine[] =
  (await postgresAvailable()) || process.env.CI === 'true' ? ['pglite', 'postgres'] : ['pglite'];

/** API.md "MFA and sessions": the sessions a user sees and ends, and an admin's view of them. */
describe.each(engines)('sessions you can see and end (%s)', (engine) => {
  let service: TestService;
  const call = (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${path}`, {
      method,
      headers: {
        ...(token && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  const signIn = async (n: string, userAgent: string) => {
    const answer = await call(
      'POST',
      '/api/v1/auth/login',
      undefined,
      {
        email: `person${n}@example.com`,
        password: 'compiler-pioneer-1952',
      },
      { 'user-agent': userAgent },
    );
    expect(answer.status).toBe(200);
    return (await answer.json()) as { accessToken: string; refreshToken: string };
  };
  const list = async (token: string, path = '/api/v1/auth/sessions') => {
    const answer = await call('GET', path, token);
    expect(answer.status).toBe(200);
    return ((await answer.json()) as { items: SessionItem[] }).items;
  };

  beforeAll(async () => {
    service = await startTestService(engine);
  });
  afterAll(() => service.stop());

  it('lists my sessions with their client, and ends one, then all the others, each refused at once', async () => {
    const registered = await call('POST', '/api/v1/auth/register', undefined, newUserBody('sess1'), {
      prefer: 'wait=10',
    });
    const { id: userId } = (await registered.json()) as { id: string };
    const laptop = await signIn('sess1', 'Firefox on the laptop');
    const phone = await signIn('sess1', 'Safari on the phone');
    const tablet = await signIn('sess1', 'Chrome on the tablet');
    await call('POST', '/api/v1/auth/refresh', undefined, { refreshToken: laptop.refreshToken });

    const before = await list(phone.accessToken);
    console.log(`[sessions ${engine}] before: ${JSON.stringify(before.map((s) => [s.userAgent, s.current]))}`);
    expect(before.map((s) => s.userAgent)).toEqual([
      'Firefox on the laptop',
      'Chrome on the tablet',
      'Safari on the phone',
    ]);
    expect(before.map((s) => s.current)).toEqual([false, false, true]);
    expect(before.every((s) => s.ip === '127.0.0.1' && s.mfa === false)).toBe(true);
    expect(Date.parse(before[0]!.lastUsedAt)).toBeGreaterThan(Date.parse(before[0]!.createdAt));

    const tabletId = before.find((s) => s.userAgent === 'Chrome on the tablet')!.id;
    expect((await call('DELETE', `/api/v1/auth/sessions/${tabletId}`, phone.accessToken)).status).toBe(204);
    expect((await call('GET', '/api/v1/auth/me', tablet.accessToken)).status).toBe(401);
    expect((await call('DELETE', `/api/v1/auth/sessions/${tabletId}`, phone.accessToken)).status).toBe(404);

    expect((await call('DELETE', '/api/v1/auth/sessions', phone.accessToken)).status).toBe(400);
    expect((await call('DELETE', '/api/v1/auth/sessions?others=true', phone.accessToken)).status).toBe(204);
    expect((await call('GET', '/api/v1/auth/me', laptop.accessToken)).status).toBe(401);
    const after = await list(phone.accessToken);
    console.log(
      `[sessions ${engine}] after "end all others": ${JSON.stringify(after.map((s) => [s.userAgent, s.current]))}`,
    );
    expect(after.map((s) => [s.userAgent, s.current])).toEqual([['Safari on the phone', true]]);

    const audit = await call('GET', `/api/v1/users/${userId}/audit`, service.adminToken);
    const reasons = ((await audit.json()) as { items: { type: string; reason: string | null }[] }).items
      .filter((e) => e.type === 'auth.session.revoked')
      .map((e) => e.reason);
    expect(reasons).toEqual(['ended_by_user', 'ended_by_user']);
  });

  it("does not let anyone end or see another user's session", async () => {
    await call('POST', '/api/v1/auth/register', undefined, newUserBody('sess2'), { prefer: 'wait=10' });
    await call('POST', '/api/v1/auth/register', undefined, newUserBody('sess3'), { prefer: 'wait=10' });
    const mine = await signIn('sess2', 'mine');
    const theirs = await signIn('sess3', 'theirs');
    const [theirSession] = await list(theirs.accessToken);

    expect((await call('DELETE', `/api/v1/auth/sessions/${theirSession!.id}`, mine.accessToken)).status).toBe(404);
    expect((await call('GET', '/api/v1/auth/me', theirs.accessToken)).status).toBe(200);
    expect((await call('GET', `/api/v1/users/${theirSession!.id}/sessions`, mine.accessToken)).status).toBe(403);
    expect((await call('GET', '/api/v1/auth/sessions')).status).toBe(401);
  });

  it('lets an admin list and end every session of a user, audited as ended_by_admin', async () => {
    const registered = await call('POST', '/api/v1/auth/register', undefined, newUserBody('sess4'), {
      prefer: 'wait=10',
    });
    const { id: userId } = (await registered.json()) as { id: string };
    const one = await signIn('sess4', 'one');
    await signIn('sess4', 'two');

    const seen = await list(service.adminToken, `/api/v1/users/${userId}/sessions`);
    expect(seen.map((s) => [s.userAgent, s.current])).toEqual([
      ['two', false],
      ['one', false],
    ]);
    expect((await call('DELETE', `/api/v1/users/${userId}/sessions`, service.adminToken)).status).toBe(204);
    expect((await call('GET', '/api/v1/auth/me', one.accessToken)).status).toBe(401);
    expect(await list(service.adminToken, `/api/v1/users/${userId}/sessions`)).toEqual([]);
    const audit = await call('GET', `/api/v1/users/${userId}/audit`, service.adminToken);
    const revoked = ((await audit.json()) as { items: { type: string; reason: string | null }[] }).items.filter(
      (e) => e.type === 'auth.session.revoked',
    );
    expect(revoked.map((e) => e.reason)).toEqual(['ended_by_admin', 'ended_by_admin']);
  });
});
