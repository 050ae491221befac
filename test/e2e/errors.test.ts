import { expect, it } from 'vitest';
import { describeEngines, expectProblem, unique, UUID_RE, type UserBody } from '../support/e2e.js';
import { newUserBody } from '../support/test-service.js';

/** Every /api/v1 route of API.md, as OpenAPI names it. */
const API_ROUTES: Record<string, string[]> = {
  '/api/v1/users': ['get', 'post'],
  '/api/v1/users/{id}': ['delete', 'get', 'patch'],
  '/api/v1/users/{id}/activate': ['post'],
  '/api/v1/users/{id}/deactivate': ['post'],
  '/api/v1/commands/{commandId}': ['get'],
  '/api/v1/auth/register': ['post'],
  '/api/v1/auth/login': ['post'],
  '/api/v1/auth/login/mfa': ['post'],
  '/api/v1/auth/mfa/totp': ['delete', 'post'],
  '/api/v1/auth/mfa/totp/confirm': ['post'],
  '/api/v1/auth/mfa/recovery-codes': ['post'],
  '/api/v1/users/{id}/mfa': ['delete'],
  '/api/v1/auth/passkeys': ['get'],
  '/api/v1/auth/passkeys/{id}': ['delete'],
  '/api/v1/auth/passkeys/registration/options': ['post'],
  '/api/v1/auth/passkeys/registration': ['post'],
  '/api/v1/auth/passkeys/authentication/options': ['post'],
  '/api/v1/auth/passkeys/authentication': ['post'],
  '/api/v1/auth/refresh': ['post'],
  '/api/v1/auth/logout': ['post'],
  '/api/v1/auth/me': ['get'],
  '/api/v1/auth/password': ['post'],
  '/api/v1/auth/email-verification': ['post'],
  '/api/v1/auth/email-verification/confirm': ['post'],
  '/api/v1/auth/password/forgot': ['post'],
  '/api/v1/auth/password/reset': ['post'],
  '/api/v1/auth/email/change': ['post'],
  '/api/v1/auth/email/change/confirm': ['post'],
  '/api/v1/auth/sessions': ['delete', 'get'],
  '/api/v1/auth/sessions/{sessionId}': ['delete'],
  '/api/v1/users/{id}/sessions': ['delete', 'get'],
  '/api/v1/oauth/clients': ['get', 'post'],
  '/api/v1/oauth/clients/{clientId}': ['delete', 'get'],
  // Beyond API.md: the sign-in audit trail (issue 4).
  '/api/v1/users/{id}/audit': ['get'],
};
const OPERATIONS_ROUTES = ['/health', '/ready', '/metrics', '/.well-known/jwks.json'];

const USERS = '/api/v1/users';

describeEngines('HTTP conventions and errors', (api) => {
  it('echoes a sent X-Request-Id and generates one otherwise, on success and on error', async () => {
    const sent = `req-${unique()}`;
    const echoed = await api().get('/health', { 'x-request-id': sent });
    expect(echoed.headers.get('x-request-id')).toBe(sent);

    const generated = await api().get('/health');
    expect(generated.headers.get('x-request-id')).toMatch(UUID_RE);
    const another = await api().get('/health');
    expect(another.headers.get('x-request-id')).not.toBe(generated.headers.get('x-request-id'));

    const onError = await api().get('/nowhere', { 'x-request-id': sent });
    expect(onError.status).toBe(404);
    expect(onError.headers.get('x-request-id')).toBe(sent);

    const onRefusal = await api().request('POST', USERS, { body: { nope: 1 }, headers: { 'x-request-id': sent } });
    expect(onRefusal.status).toBe(400);
    expect(onRefusal.headers.get('x-request-id')).toBe(sent);

    const onWrite = await api().request('POST', USERS, {
      body: newUserBody(unique()),
      headers: { 'x-request-id': sent },
    });
    expect(onWrite.status).toBe(202);
    expect(onWrite.headers.get('x-request-id')).toBe(sent);

    // An id that is not a sane token is replaced, not echoed.
    const tooLong = await api().get('/health', { 'x-request-id': 'r'.repeat(201) });
    expect(tooLong.headers.get('x-request-id')).toMatch(UUID_RE);
  });

  it('refuses an unknown field with 400 naming it', async () => {
    const reply = await api().request('POST', USERS, { body: newUserBody(unique(), { isAdmin: true }) });
    const problem = expectProblem(reply, 400, 'validation_failed');
    expect(problem.errors).toContainEqual({ field: 'isAdmin', message: expect.any(String) });
    expect(problem.type).toBe('/problems/validation-failed');
    expect(problem.title).toEqual(expect.any(String));

    const patch = await api().request('PATCH', `${USERS}/0190a8d2-0000-7000-8000-000000000000`, {
      body: { email: 'x@example.com' },
    });
    expect(expectProblem(patch, 400, 'validation_failed').errors).toContainEqual({
      field: 'email',
      message: expect.any(String),
    });
  });

  it.each([
    ['email', 123],
    ['username', null],
    ['firstName', ['Ada']],
    ['lastName', { first: 'x' }],
    ['password', true],
    ['roles', 'admin'],
    ['roles', ['root']],
  ])('refuses a wrong type for %s with 400 naming it', async (field, value) => {
    const reply = await api().request('POST', USERS, { body: newUserBody(unique(), { [field]: value }) });
    const problem = expectProblem(reply, 400, 'validation_failed');
    expect(problem.errors?.map((e) => e.field.split('.')[0])).toContain(field);
  });

  it('refuses missing fields with 400 and one error per missing field', async () => {
    const { password: _password, lastName: _lastName, ...partial } = newUserBody(unique());
    const reply = await api().request('POST', USERS, { body: partial });
    const problem = expectProblem(reply, 400, 'validation_failed');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'password', message: 'is required' },
        { field: 'lastName', message: 'is required' },
      ]),
    );
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"hello"'],
  ])('refuses %s as the body with 400', async (_what, raw) => {
    const reply = await api().request('POST', USERS, { raw, headers: { 'content-type': 'application/json' } });
    expectProblem(reply, 400, 'validation_failed');
  });

  it('refuses malformed JSON with 400 and does not leak parser internals', async () => {
    for (const raw of ['{', '{"email": }', "{'email': 'x'}", '{"a":1}}', '\u0000']) {
      const reply = await api().request('POST', USERS, { raw, headers: { 'content-type': 'application/json' } });
      const problem = expectProblem(reply, 400, 'validation_failed');
      expect(problem.detail).not.toMatch(/at .*\.js|node_modules/);
    }
  });

  it('refuses a prototype-polluting body with 400', async () => {
    for (const raw of [
      `{"__proto__": {"admin": true}, "email": "a@example.com"}`,
      `{"constructor": {"prototype": {"admin": true}}}`,
    ]) {
      const reply = await api().request('POST', USERS, { raw, headers: { 'content-type': 'application/json' } });
      expectProblem(reply, 400, 'validation_failed');
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('an empty JSON body counts as no body: 400 where one is required, fine where none is', async () => {
    expectProblem(
      await api().request('POST', USERS, { raw: '', headers: { 'content-type': 'application/json' } }),
      400,
      'validation_failed',
    );
    const user = await api().createUser();
    const empty = await api().request<UserBody>('POST', `${USERS}/${user.id}/deactivate`, {
      raw: '',
      headers: { 'content-type': 'application/json', prefer: 'wait=5' },
    });
    expect(empty.status, empty.text).toBe(200);
  });

  it('refuses a body over 64 KiB with 413 payload_too_large', async () => {
    const raw = JSON.stringify({ ...newUserBody(unique()), firstName: 'a'.repeat(64 * 1024) });
    const reply = await api().request('POST', USERS, { raw, headers: { 'content-type': 'application/json' } });
    expectProblem(reply, 413, 'payload_too_large');
    // Just under the limit is parsed (and refused for its content, not its size).
    const under = JSON.stringify({ padding: 'p'.repeat(64 * 1024 - 20) });
    expect(Buffer.byteLength(under)).toBeLessThanOrEqual(64 * 1024);
    expectProblem(
      await api().request('POST', USERS, { raw: under, headers: { 'content-type': 'application/json' } }),
      400,
      'validation_failed',
    );
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'text/json',
  ])('refuses Content-Type %s with 415 unsupported_media_type', async (type) => {
    const reply = await api().request('POST', USERS, {
      raw: JSON.stringify(newUserBody(unique())),
      headers: { 'content-type': type },
    });
    expectProblem(reply, 415, 'unsupported_media_type');
  });

  it('refuses a body without Content-Type with 415', async () => {
    const response = await fetch(`${api().url}${USERS}`, {
      method: 'POST',
      body: new Blob([JSON.stringify(newUserBody(unique()))]), // a Blob without type sends no Content-Type
    });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await response.json()) as { code: string }).code).toBe('unsupported_media_type');
  });

  it('accepts application/json with a charset parameter and in any case', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
      const reply = await api().request('POST', USERS, {
        raw: JSON.stringify(newUserBody(unique())),
        headers: { 'content-type': type },
      });
      expect(reply.status, `${type}: ${reply.text}`).toBe(202);
    }
  });

  it('refuses a malformed UUID in any path with 400', async () => {
    for (const [method, path] of [
      ['GET', `${USERS}/abc`],
      ['PATCH', `${USERS}/abc`],
      ['DELETE', `${USERS}/abc`],
      ['POST', `${USERS}/abc/deactivate`],
      ['POST', `${USERS}/abc/activate`],
      ['GET', '/api/v1/commands/abc'],
    ] as const) {
      const reply = await api().request(method, path, method === 'PATCH' ? { body: { firstName: 'X' } } : {});
      expectProblem(reply, 400, 'validation_failed');
    }
  });

  it('refuses a malformed %-escape or an over-long path parameter with a 400 problem carrying a request id', async () => {
    for (const path of [
      `${USERS}/%zz`,
      `${USERS}/%E0%A4%A/activate`,
      `/api/v1/commands/${'a'.repeat(150)}`,
      `${USERS}/${'b'.repeat(500)}`,
    ]) {
      const reply = await api().get(path, { 'x-request-id': 'bad-url-1' });
      expectProblem(reply, 400, 'validation_failed');
      expect(reply.headers.get('x-request-id')).toBe('bad-url-1');
    }
  });

  it.each(['q', 'email', 'username'])(
    'refuses a NUL character in the %s filter with 400 (not a database error)',
    async (filter) => {
      expectProblem(await api().get(`${USERS}?${filter}=a%00b`), 400, 'validation_failed');
      // Other control characters are just text that matches nobody.
      const tab = await api().get<{ items: unknown[] }>(`${USERS}?${filter}=a%09%01b`);
      expect(tab.status, tab.text).toBe(200);
      expect(tab.body.items).toEqual([]);
    },
  );

  it('refuses fields in the body of an endpoint that takes none; {} and no body are fine', async () => {
    const user = await api().createUser();
    for (const [method, path] of [
      ['POST', `${USERS}/${user.id}/deactivate`],
      ['POST', `${USERS}/${user.id}/activate`],
      ['DELETE', `${USERS}/${user.id}`],
    ] as const) {
      const withField = await api().request(method, path, { body: { reason: 'because' } });
      expect(expectProblem(withField, 400, 'validation_failed').errors).toEqual([
        { field: 'reason', message: 'is not a known field' },
      ]);
      expectProblem(await api().request(method, path, { body: [1] }), 400, 'validation_failed');
    }
    const empty = await api().request<UserBody>('POST', `${USERS}/${user.id}/deactivate`, {
      body: {},
      headers: { prefer: 'wait=5' },
    });
    expect(empty.status, empty.text).toBe(200);
    expect(empty.body.status).toBe('deactivated');
  });

  it('answers an unknown route or method with a 404 problem', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['GET', '/api/v2/users'],
      ['PUT', USERS],
      ['POST', '/api/v1/users/0190a8d2-0000-7000-8000-000000000000/explode'],
      ['DELETE', USERS],
    ] as const) {
      const reply = await api().request(method, path);
      const problem = expectProblem(reply, 404, 'not_found');
      expect(problem.detail).toContain(path.split('?')[0]);
    }
  });

  it('/health answers 200 ok and /ready answers 200 with its checks', async () => {
    const health = await api().get<{ status: string }>('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await api().get<{ status: string; checks: Record<string, string> }>('/ready');
    expect(ready.status, ready.text).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect(Object.values(ready.body.checks).every((state) => state === 'ok')).toBe(true);
    expect(Object.keys(ready.body.checks).length).toBeGreaterThanOrEqual(1);
  });

  it('/openapi.json is an OpenAPI 3.1 document listing every /api/v1 route of API.md, and no other', async () => {
    const doc = await api().get<{
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, unknown>>;
    }>('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc.body.openapi).toMatch(/^3\.1\./);
    expect(doc.body.info.title).toBe('Portico');
    const apiPaths = Object.keys(doc.body.paths).filter((p) => p.startsWith('/api/v1/'));
    expect(apiPaths.sort()).toEqual(Object.keys(API_ROUTES).sort());
    for (const [path, methods] of Object.entries(API_ROUTES)) {
      const documented = Object.keys(doc.body.paths[path] ?? {}).filter((m) =>
        ['get', 'post', 'put', 'patch', 'delete'].includes(m),
      );
      expect(documented.sort(), path).toEqual(methods);
    }
    for (const path of OPERATIONS_ROUTES) expect(Object.keys(doc.body.paths)).toContain(path);
    // The user schema never shows a password or hash as a response field.
    const getUser = doc.body.paths['/api/v1/users/{id}']?.get as { responses: Record<string, unknown> };
    expect(JSON.stringify(getUser.responses['200'])).not.toMatch(/password|hash/i);
  });

  it('/docs serves the Swagger UI as HTML', async () => {
    const docs = await fetch(`${api().url}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await docs.text()).toMatch(/swagger/i);
  });
});
