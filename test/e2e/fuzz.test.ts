import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, unique, type UserBody } from '../support/e2e.js';
import { newUserBody, startTestService, type TestService } from '../support/test-service.js';

/**
 * Property-based requests against every endpoint and method on embedded defaults: whatever the
 * request, the service never answers 5xx, and every refusal is an RFC 9457 problem of the contract.
 * FUZZ_SEED reproduces a failing run; FUZZ_RUNS scales the number of requests.
 */
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

// ---------- values ----------

/** encodeURIComponent for any string: lone surrogates (which it refuses) become U+FFFD first. */
const encode = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));

const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

const tricky = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\u0007bell',
  'a'.repeat(400),
  'x'.repeat(5000),
  '1q2w3e4r5t6y',
  'compiler-pioneer-1952',
  'admin',
  'user',
  '🦄🦄🦄🦄🦄🦄🦄🦄🦄🦄🦄🦄',
  'e\u0301\u0301\u0301',
  '\u202eevil',
  '\ud800',
  "Robert'); DROP TABLE users;--",
  '%00',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  'ADA@EXAMPLE.COM',
  '  spaced@example.com  ',
);

const anyJson = fc.jsonValue({ maxDepth: 3 });

const fieldValue = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: tricky },
  { weight: 1, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER * 1024, 0, -0) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: anyJson },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('user', 'admin', 'root', ''), { maxLength: 4 }) },
);

/** Values that pass the transport schema and often the domain rules, so commands really run. */
const plausibleUser = fc.record({
  email: fc.oneof(fc.emailAddress(), fc.constant(`fuzz${unique()}@example.com`)),
  username: fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9._-]{2,29}$/),
  firstName: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  lastName: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  password: fc.oneof(fc.string({ minLength: 12, maxLength: 40 }), fc.constant('a-perfectly-fine-passphrase-42')),
  roles: fc.option(fc.subarray(['user', 'admin'] as const), { nil: undefined }),
});

const fuzzyUser = fc.record(
  {
    email: fieldValue,
    username: fieldValue,
    firstName: fieldValue,
    lastName: fieldValue,
    password: fieldValue,
    roles: fieldValue,
  },
  { requiredKeys: [] },
);

const extraFields = fc.dictionary(
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('__proto__', 'constructor', 'id', 'version', 'status', 'passwordHash'),
  ),
  anyJson,
  {
    maxKeys: 2,
  },
);

const authBody = fc.record(
  {
    email: fieldValue,
    password: fieldValue,
    refreshToken: fieldValue,
    currentPassword: fieldValue,
    newPassword: fieldValue,
  },
  { requiredKeys: [] },
);

const objectBody = fc.oneof(
  { weight: 1, arbitrary: authBody.map((b) => JSON.stringify(b)) },
  { weight: 3, arbitrary: plausibleUser.map((u) => JSON.stringify(u)) },
  { weight: 3, arbitrary: fuzzyUser.map((u) => JSON.stringify(u)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.oneof(plausibleUser, fuzzyUser), extraFields)
      .map(([u, x]) => JSON.stringify({ ...u, ...x })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ firstName: fieldValue, lastName: fieldValue, username: fieldValue }, { requiredKeys: [] })
      .map((b) => JSON.stringify(b)),
  },
  { weight: 1, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
);

const rawBody = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom(
    '{',
    '{"email":',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    'null',
    'true',
    '[]',
    '""',
    '{"a":1,"a":2}',
    `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
    `{"firstName":"${'z'.repeat(70 * 1024)}"}`,
    '\ufeff{}',
  ),
);

const body = fc.option(fc.oneof({ weight: 4, arbitrary: objectBody }, { weight: 1, arbitrary: rawBody }), {
  nil: undefined,
  freq: 4,
});

const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/json;charset=latin1',
    'application/json; boundary=x; charset="utf-8"',
    'application/problem+json',
    'application/merge-patch+json',
    'application/jsonx',
    'text/plain',
    'text/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=abc',
    'application/octet-stream',
    '*/*',
    ';',
    'json',
  ),
  { nil: undefined, freq: 6 },
);

const prefer = fc.option(
  fc.constantFrom(
    'wait=1',
    'wait=0',
    'wait=-1',
    'wait=abc',
    'wait=1.5',
    'respond-async',
    'wait=1, respond-async',
    'WAIT="1"',
    'wait=999999999999',
    '',
  ),
  { nil: undefined, freq: 3 },
);

const idempotencyKey = fc.option(
  fc.oneof(fc.constantFrom('fixed-key-1', 'fixed-key-2', 'k'.repeat(255), 'k'.repeat(256)), headerText, fc.uuid()),
  { nil: undefined, freq: 3 },
);

const ifMatch = fc.option(
  fc.oneof(
    fc.nat({ max: 5 }).map((v) => `"${v}"`),
    fc.nat().map((v) => `W/"${v}"`),
    fc.constantFrom('*', '"9999999999"', '""', 'W/', '"1", "2"', '-1'),
    headerText,
  ),
  { nil: undefined, freq: 3 },
);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const authorization = fc.option(
  fc.oneof(
    headerText.map((t) => `Bearer ${t}`),
    headerText,
    fc.constantFrom(
      'Bearer',
      'Bearer ',
      'Basic cm9vdDpyb290',
      `Bearer ${b64({ alg: 'none' })}.${b64({ sub: 'x', roles: ['admin'] })}.`,
      `Bearer ${b64({ alg: 'EdDSA', kid: '../../etc/passwd' })}.${b64({ sub: 'x' })}.c2ln`,
      `Bearer ${b64({ alg: 'HS256' })}.${b64({ exp: 1e308 })}.AAAA`,
      'Bearer a.b.c',
      `Bearer ${'x'.repeat(8000)}`,
    ),
  ),
  { nil: undefined, freq: 4 },
);

const requestId = fc.option(fc.oneof(headerText, fc.constant('r'.repeat(300))), { nil: undefined, freq: 4 });

// ---------- paths and queries ----------

function idArbitrary(known: () => string[]) {
  return fc.oneof(
    { weight: 3, arbitrary: fc.nat().map((i) => known()[i % known().length]!) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.uuid().map((u) => u.toUpperCase()) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '%00', '..', '%2e%2e%2f', 'null', '0', '-1', '1e999', '%E2%80%AE', '%zz'),
    },
  );
}

const queryKey = fc.constantFrom(
  'email',
  'username',
  'q',
  'status',
  'limit',
  'cursor',
  'sort',
  'offset',
  '__proto__',
  '',
);
const controlChar = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const queryValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.tuple(fc.string({ maxLength: 5 }), controlChar, fc.string({ maxLength: 5 })).map((parts) => parts.join('')),
  tricky,
  fc.constantFrom('active', 'deactivated', '1', '2', '100', '101', '0', '-1', 'abc', '20.5'),
  fc.constant(Buffer.from(JSON.stringify({ after: '0190a8d2-0000-7000-8000-000000000000' })).toString('base64url')),
  fc.uuid().map((u) => Buffer.from(JSON.stringify({ after: u })).toString('base64url')),
);
const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(queryKey, queryValue), { maxLength: 4 })
      .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('?', '?&&', '?=x', '?limit', '?%zz=1', '?limit=1&limit=2', '?q=%', '?cursor='),
  },
);

const METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS'] as const;

function requestArbitrary(known: () => string[]): fc.Arbitrary<FuzzRequest> {
  const id = idArbitrary(known);
  const path = fc.oneof(
    { weight: 4, arbitrary: fc.constant('/api/v1/users') },
    { weight: 4, arbitrary: id.map((i) => `/api/v1/users/${i}`) },
    { weight: 2, arbitrary: id.map((i) => `/api/v1/users/${i}/deactivate`) },
    { weight: 2, arbitrary: id.map((i) => `/api/v1/users/${i}/activate`) },
    { weight: 2, arbitrary: id.map((i) => `/api/v1/commands/${i}`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '/api/v1/auth/register',
        '/api/v1/auth/login',
        '/api/v1/auth/refresh',
        '/api/v1/auth/logout',
        '/api/v1/auth/me',
        '/api/v1/auth/password',
        '/api/v1/auth/passkeys',
        '/api/v1/auth/passkeys/authentication/options',
        '/api/v1/auth/passkeys/authentication',
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '/health',
        '/ready',
        '/metrics',
        '/openapi.json',
        '/.well-known/jwks.json',
        '/api/v1/users/',
        '/api/v1',
        '/',
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.string({ unit: 'binary', maxLength: 10 }).map(encodeURIComponent), { maxLength: 4 })
        .map((s) => `/${s.join('/')}`),
    },
  );
  return fc
    .record({
      method: fc.constantFrom(...METHODS),
      path,
      query,
      body,
      contentType,
      prefer,
      idempotencyKey,
      ifMatch,
      requestId,
      authorization,
    })
    .map((r) => {
      const headers: Record<string, string> = {};
      if (r.contentType !== undefined) headers['content-type'] = r.contentType;
      if (r.prefer !== undefined) headers.prefer = r.prefer;
      if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
      if (r.ifMatch !== undefined) headers['if-match'] = r.ifMatch;
      if (r.requestId !== undefined) headers['x-request-id'] = r.requestId;
      if (r.authorization !== undefined) headers.authorization = r.authorization;
      const canHaveBody = r.method !== 'GET' && r.method !== 'HEAD';
      return {
        method: r.method,
        path: `${r.path}${r.query}`,
        headers,
        ...(canHaveBody && r.body !== undefined && { body: r.body }),
      };
    });
}

// ---------- the property ----------

const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'code'] as const;

const statuses = new Map<string, number>();

let adminToken = '';

/** Requests without their own Authorization go as the admin, so the fuzz reaches past the auth check. */
async function send(url: string, request: FuzzRequest) {
  const hasAuth = Object.keys(request.headers).some((h) => h.toLowerCase() === 'authorization');
  const response = await fetch(`${url}${request.path}`, {
    method: request.method,
    headers: hasAuth ? request.headers : { ...request.headers, authorization: `Bearer ${adminToken}` },
    redirect: 'manual',
    ...(request.body !== undefined && { body: request.body }),
  });
  const text = await response.text();
  const tally = `${request.method} ${response.status}`;
  statuses.set(tally, (statuses.get(tally) ?? 0) + 1);
  return { status: response.status, headers: response.headers, text };
}

function checkAnswer(request: FuzzRequest, answer: Awaited<ReturnType<typeof send>>): void {
  const where = `${request.method} ${request.path} ${JSON.stringify(request.headers)} body=${request.body?.slice(0, 300)} → ${answer.status} ${answer.text.slice(0, 500)}`;
  expect(answer.status, where).toBeLessThan(500);
  expect(answer.status, where).toBeGreaterThanOrEqual(200);
  expect(answer.headers.get('x-request-id'), where).toBeTruthy();
  if (answer.status >= 400) {
    expect(answer.headers.get('content-type'), where).toMatch(/^application\/problem\+json/);
    if (request.method === 'HEAD') return;
    const problem = JSON.parse(answer.text) as Record<string, unknown>;
    for (const field of PROBLEM_FIELDS) expect(problem[field], `${field} of ${where}`).toBeDefined();
    for (const field of ['type', 'title', 'detail', 'code'] as const)
      expect(typeof problem[field], where).toBe('string');
    expect(problem.status, where).toBe(answer.status);
    expect(problem.code, where).toMatch(/^[a-z_]+$/);
    expect(problem.code, where).not.toBe('internal_error');
    if (problem.errors !== undefined) {
      expect(Array.isArray(problem.errors), where).toBe(true);
      for (const e of problem.errors as { field: unknown; message: unknown }[]) {
        expect(typeof e.field, where).toBe('string');
        expect(typeof e.message, where).toBe('string');
      }
    }
  } else if (request.path.startsWith('/api/')) {
    // Whatever it says on success, it never leaks a hash.
    expect(answer.text, where).not.toMatch(/\$argon2|passwordHash|password_hash/i);
  }
}

describe('fuzz: arbitrary requests never break the contract [pglite]', () => {
  let service: TestService;
  let api: Api;
  const known: string[] = [];

  beforeAll(async () => {
    service = await startTestService('pglite');
    api = new Api(service.url, service.adminToken);
    adminToken = service.adminToken;
    for (let i = 0; i < 2; i += 1) known.push((await api.createUser()).id);
  });
  afterAll(async () => {
    if (process.env.FUZZ_STATS)
      console.log(
        [...statuses]
          .sort()
          .map(([k, n]) => `${k}: ${n}`)
          .join('\n'),
      );
    await service?.stop();
  });

  it('any method, path, query, headers and body: < 500, errors are problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        requestArbitrary(() => known),
        async (request) => {
          const answer = await send(service.url, request);
          checkAnswer(request, answer);
          // Users the fuzzer creates become targets for later requests.
          if (answer.status === 201 && request.path.startsWith('/api/v1/users')) {
            known.push((JSON.parse(answer.text) as UserBody).id);
          }
        },
      ),
      { numRuns: runs(150), ...(SEED !== undefined && { seed: SEED }), endOnFailure: true },
    );
  }, 120_000);

  it('well-formed JSON writes with random field values: < 500, errors are problem+json', async () => {
    const write = fc.oneof(
      fc.record({ method: fc.constant('POST'), path: fc.constant('/api/v1/users'), body: objectBody }),
      fc.record({
        method: fc.constant('PATCH'),
        path: fc.nat().map((i) => `/api/v1/users/${known[i % known.length]}`),
        body: objectBody,
      }),
    );
    await fc.assert(
      fc.asyncProperty(write, prefer, idempotencyKey, ifMatch, async (w, preferValue, key, match) => {
        const request: FuzzRequest = {
          method: w.method,
          path: w.path,
          body: w.body,
          headers: {
            'content-type': 'application/json',
            ...(preferValue !== undefined && { prefer: preferValue }),
            ...(key !== undefined && { 'idempotency-key': key }),
            ...(match !== undefined && w.method === 'PATCH' && { 'if-match': match }),
          },
        };
        checkAnswer(request, await send(service.url, request));
      }),
      { numRuns: runs(60), ...(SEED !== undefined && { seed: SEED }), endOnFailure: true },
    );
  }, 120_000);

  it('the service is still healthy and consistent afterwards', async () => {
    expect((await api.get('/ready')).status).toBe(200);
    const created = await api.request<UserBody>('POST', '/api/v1/users', {
      body: newUserBody(unique()),
      headers: { prefer: 'wait=5' },
    });
    expect(created.status, created.text).toBe(201);
    for (const id of known) {
      const read = await api.get(`/api/v1/users/${id}`);
      expect([200, 404]).toContain(read.status);
    }
  });
});
