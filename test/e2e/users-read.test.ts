import { expect, it } from 'vitest';
import { describeEngines, expectNoSecrets, expectProblem, unique, type UserBody } from '../support/e2e.js';

interface Page {
  items: UserBody[];
  nextCursor: string | null;
}

const q = (params: Record<string, string>) => `/api/v1/users?${new URLSearchParams(params).toString()}`;

describeEngines('users: reads from the read model', (api) => {
  it('GET /users/{id} answers 200 with the user and ETag "<version>"', async () => {
    const user = await api().createUser();
    const read = await api().get<UserBody>(`/api/v1/users/${user.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(`"${user.version}"`);
    expect(read.headers.get('content-type')).toMatch(/^application\/json/);
    expect(read.body).toEqual(user);
    expectNoSecrets(read);
  });

  it('GET /users/{id} answers 404 not_found for an unknown id and 400 for a malformed one', async () => {
    expectProblem(await api().get('/api/v1/users/0190a8d2-0000-7000-8000-00000000abcd'), 404, 'not_found');
    // Any UUID version is a well-formed id; it is simply absent.
    expectProblem(await api().get('/api/v1/users/6f1c1b4e-3f0a-4c5e-9d7b-2a8e1c3f4b5a'), 404, 'not_found');
    for (const bad of ['not-a-uuid', '123', '0190a8d2-0000-7000-8000-00000000abcdz', "'%20or%201=1--"]) {
      const reply = await api().get(`/api/v1/users/${bad}`);
      expectProblem(reply, 400, 'validation_failed');
    }
  });

  it('lists with email, username, q and status filters', async () => {
    const tag = `tag${unique()}`;
    const a = await api().createUser({ lastName: `Alpha${tag}` });
    const b = await api().createUser({ lastName: `Beta${tag}` });
    const c = await api().createUser({ firstName: `Gamma${tag}` });
    const deactivated = await api().request<UserBody>('POST', `/api/v1/users/${c.id}/deactivate`, {
      headers: { prefer: 'wait=5' },
    });
    expect(deactivated.status).toBe(200);

    const byEmail = await api().get<Page>(q({ email: `  ${a.email.toUpperCase()} ` }));
    expect(byEmail.status).toBe(200);
    expect(byEmail.body).toEqual({ items: [a], nextCursor: null });
    expectNoSecrets(byEmail);

    const byUsername = await api().get<Page>(q({ username: b.username.toUpperCase() }));
    expect(byUsername.body.items.map((u) => u.id)).toEqual([b.id]);

    const byQ = await api().get<Page>(q({ q: tag.toUpperCase() }));
    expect(byQ.body.items.map((u) => u.id).sort()).toEqual([a.id, b.id, c.id].sort());
    // q matches email, username, first and last name, as a substring.
    expect((await api().get<Page>(q({ q: a.username.slice(2) }))).body.items.map((u) => u.id)).toContain(a.id);
    expect((await api().get<Page>(q({ q: `Beta${tag}` }))).body.items.map((u) => u.id)).toEqual([b.id]);

    const active = await api().get<Page>(q({ q: tag, status: 'active' }));
    expect(active.body.items.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
    const inactive = await api().get<Page>(q({ q: tag, status: 'deactivated' }));
    expect(inactive.body.items.map((u) => u.id)).toEqual([c.id]);
    expect(inactive.body.items[0]?.status).toBe('deactivated');

    // Filters combine; a filter that matches nobody gives an empty page.
    expect((await api().get<Page>(q({ email: a.email, status: 'deactivated' }))).body).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await api().get<Page>(q({ email: 'nobody@example.com' }))).body).toEqual({ items: [], nextCursor: null });
    expect((await api().get<Page>(q({ email: 'not an email' }))).body).toEqual({ items: [], nextCursor: null });
    // LIKE wildcards in q are literals.
    expect((await api().get<Page>(q({ q: `${tag}%` }))).body.items).toEqual([]);
    expect((await api().get<Page>(q({ q: `Alph_${tag}` }))).body.items).toEqual([]);
    // A blank q filters nothing out.
    expect((await api().get<Page>(q({ q: '   ', limit: '100' }))).body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('pages with limit and cursor: every user exactly once, in a stable order', async () => {
    const tag = `page${unique()}`;
    const created = await Promise.all([1, 2, 3, 4, 5].map(() => api().createUser({ lastName: `Paged${tag}` })));
    const expected = created.map((u) => u.id).sort();

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const params: Record<string, string> = { q: tag, limit: '2', ...(cursor !== null && { cursor }) };
      const page = await api().get<Page>(q(params));
      expect(page.status, page.text).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((u) => u.id));
      cursor = page.body.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(10);
    } while (cursor !== null);

    expect(pages).toBe(3);
    expect(seen).toEqual(expected); // ordered by id, no duplicates, none missing
    expect(new Set(seen).size).toBe(5);

    // Exactly a page's worth: the last page has no next cursor.
    const whole = await api().get<Page>(q({ q: tag, limit: '5' }));
    expect(whole.body.items.map((u) => u.id)).toEqual(expected);
    expect(whole.body.nextCursor).toBeNull();
    const first4 = await api().get<Page>(q({ q: tag, limit: '4' }));
    expect(first4.body.items).toHaveLength(4);
    expect(first4.body.nextCursor).toEqual(expect.any(String));
  });

  it('defaults to 20 per page and accepts limit 1 and 100', async () => {
    const tag = `lim${unique()}`;
    await Promise.all(Array.from({ length: 3 }, () => api().createUser({ lastName: `Lim${tag}` })));
    const one = await api().get<Page>(q({ q: tag, limit: '1' }));
    expect(one.body.items).toHaveLength(1);
    expect(one.body.nextCursor).not.toBeNull();
    expect((await api().get<Page>(q({ q: tag, limit: '100' }))).body.items).toHaveLength(3);
    const all = await api().get<Page>('/api/v1/users');
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBeLessThanOrEqual(20);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=2.5', 'limit'],
    ['status=deleted', 'status'],
    ['status=ACTIVE', 'status'],
    ['cursor=garbage', 'cursor'],
    [`cursor=${Buffer.from(JSON.stringify({ after: 'not-a-uuid' })).toString('base64url')}`, 'cursor'],
    [`cursor=${Buffer.from('[1,2,3]').toString('base64url')}`, 'cursor'],
    [`cursor=${'x'.repeat(600)}`, 'cursor'],
    ['sort=email', 'sort'],
  ])('refuses ?%s with 400 validation_failed naming %s', async (query, field) => {
    const reply = await api().get(`/api/v1/users?${query}`);
    const problem = expectProblem(reply, 400, 'validation_failed');
    expect(problem.errors?.map((e) => e.field).join(' ')).toContain(field);
  });
});
