import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../support/e2e.js';
import { allowConnections, postgresAvailable } from '../support/postgres.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { OpenApiDocument } from './conformance.js';
import { emailChangeTraffic, mailTraffic, resetTraffic } from './mail-traffic.js';
import { mfaTraffic } from './mfa-traffic.js';
import { oauthClientsTraffic } from './oauth-clients-traffic.js';
import { passkeyTraffic } from './passkey-traffic.js';
import { startRecordingProxy, type Exchange, type RecordingProxy } from './recording-proxy.js';
import { authTraffic, operationsTraffic, outageTraffic, registrationLimitTraffic, usersTraffic } from './traffic.js';

const withPostgres = await postgresAvailable();
/** A replay validates every recorded exchange (several hundred): slow on a busy machine. */
const REPLAY_TIMEOUT_MS = 90_000;

type Node = Record<string, unknown>;

/** Every violation of the recorded traffic against `document`, and what each operation answered. */
async function replay(exchanges: readonly Exchange[], document: OpenApiDocument) {
  const violations: string[] = [];
  const answered = new Map<string, Set<number>>();
  for (const exchange of exchanges) {
    const verdict = await document.check(exchange);
    if (verdict.operation === null) {
      violations.push(`${exchange.method} ${exchange.url}: no operation of the document matches`);
      continue;
    }
    answered.set(verdict.operation, (answered.get(verdict.operation) ?? new Set()).add(exchange.status));
    violations.push(...verdict.violations.map((v) => `${verdict.operation} → ${exchange.status}: ${v}`));
  }
  return { violations, answered };
}

/** The document as the service serves it, loaded for checking. */
async function servedDocument(proxy: RecordingProxy) {
  const response = await fetch(`${proxy.url}/openapi.json`);
  const served = (await response.json()) as Node;
  return { served, loaded: await OpenApiDocument.load(served) };
}

function expectConformance(replayed: Awaited<ReturnType<typeof replay>>, exchanges: number, statuses: number[]): void {
  const { violations, answered } = replayed;
  const seen = new Set([...answered.values()].flatMap((s) => [...s]));
  console.log(
    `${exchanges} exchanges replayed; statuses ${[...seen].sort().join(' ')};`,
    Object.fromEntries([...answered].map(([operation, s]) => [operation, [...s].sort().join(' ')])),
  );
  expect(violations).toEqual([]);
  for (const status of statuses) expect(seen, `no ${status} in the traffic`).toContain(status);
}

function operationsOf(document: Node): string[] {
  return Object.entries(document.paths as Record<string, Node>).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('/openapi.json is true to the traffic it describes (replayed through a recording proxy)', () => {
  let service: TestService;
  let proxy: RecordingProxy;
  let served: Node;
  let loaded: Awaited<ReturnType<typeof OpenApiDocument.load>>;

  beforeAll(async () => {
    service = await startTestService('pglite', { LOCKOUT_THRESHOLD: '2', RATE_LIMIT_REGISTER_PER_IP: '8' });
    proxy = await startRecordingProxy(service.url);
    const admin = new Api(proxy.url, service.adminToken);
    const anonymous = new Api(proxy.url);
    await operationsTraffic(anonymous);
    await usersTraffic(admin, anonymous);
    await authTraffic(admin, anonymous);
    await mailTraffic(anonymous);
    await mfaTraffic(admin, anonymous);
    await passkeyTraffic(anonymous, await admin.createUser());
    await oauthClientsTraffic(admin, anonymous, await admin.createUser());
    await resetTraffic(anonymous);
    await emailChangeTraffic(admin, anonymous);
    await registrationLimitTraffic(anonymous);
    ({ served, loaded } = await servedDocument(proxy));
  }, 240_000);

  afterAll(async () => {
    await proxy?.close();
    await service?.stop();
  });

  it('is a valid OpenAPI 3.1 document whose every $ref resolves', () => {
    expect(served.openapi).toMatch(/^3\.1\./);
    expect(loaded.problems).toEqual([]);
  });

  // One replay of the traffic against the served document serves both tests below: it is the slow part.
  let replayed: ReturnType<typeof replay> | undefined;
  const replayedOnce = () => (replayed ??= replay(proxy.exchanges, loaded.document));

  it(
    'declares every status, header, media type and body the service answered',
    async () => {
      const statuses = [200, 201, 202, 204, 400, 401, 403, 404, 409, 412, 413, 415, 422, 429];
      expectConformance(await replayedOnce(), proxy.exchanges.length, statuses);
    },
    REPLAY_TIMEOUT_MS,
  );

  it('exercised every operation of the document', async () => {
    const { answered } = await replayedOnce();
    expect(operationsOf(served).filter((operation) => !answered.has(operation))).toEqual([]);
  });

  it(
    'goes red when the document leaves out a header, a status, a media type or an optional body',
    async () => {
      const tampered = structuredClone(served) as { paths: Record<string, Record<string, Node>> };
      const responses = (path: string, method: string) =>
        tampered.paths[path]![method]!.responses as Record<string, Node>;
      delete (responses('/api/v1/users/{id}', 'get')['200']!.headers as Node).ETag;
      delete responses('/api/v1/users', 'post')['413'];
      const login401 = responses('/api/v1/auth/login', 'post')['401']!;
      login401.content = { 'application/json': (login401.content as Node)['application/problem+json'] };
      (tampered.paths['/api/v1/auth/logout']!.post!.requestBody as Node).required = true;
      tampered.paths['/metrics']!.get!.security = [{ bearerAuth: [] }];

      // Only the exchanges of the tampered operations: the rest would pass as before, slowly.
      const touched = [
        /^GET \/api\/v1\/users\/[^/?]+$/,
        /^POST \/api\/v1\/users$/,
        /^POST \/api\/v1\/auth\/(login|logout)$/,
        /^GET \/metrics$/,
      ];
      const exchanges = proxy.exchanges.filter((e) =>
        touched.some((t) => t.test(`${e.method} ${new URL(e.url, 'http://x').pathname}`)),
      );
      const { violations } = await replay(exchanges, (await OpenApiDocument.load(tampered)).document);
      const text = violations.join('\n');
      expect(text).toMatch(/GET \/api\/v1\/users\/\{id\} → 200: header etag is not declared/);
      expect(text).toMatch(/POST \/api\/v1\/users → 413: status 413 is not declared/);
      expect(text).toMatch(/POST \/api\/v1\/auth\/login → 401: sent application\/problem\+json/);
      expect(text).toMatch(
        /POST \/api\/v1\/auth\/logout → 204: answered 204 to a request the document calls invalid: the body is required/,
      );
      expect(text).toMatch(/GET \/metrics → 200: answered 200 without credentials/);
    },
    REPLAY_TIMEOUT_MS,
  );
});

describe.skipIf(!withPostgres)(
  '/openapi.json is true to the answers while the database is down (real PostgreSQL)',
  () => {
    let service: TestService;
    let proxy: RecordingProxy;
    let loaded: Awaited<ReturnType<typeof OpenApiDocument.load>>;

    beforeAll(async () => {
      service = await startTestService('postgres');
      proxy = await startRecordingProxy(service.url);
      ({ loaded } = await servedDocument(proxy));
      const admin = new Api(proxy.url, service.adminToken);
      const user = await admin.createUser();
      await allowConnections(service.runtime.config.databaseUrl!, false);
      await outageTraffic(admin, new Api(proxy.url), user.id);
    }, 120_000);

    afterAll(async () => {
      if (service) await allowConnections(service.runtime.config.databaseUrl!, true);
      await proxy?.close();
      await service?.stop();
    });

    it(
      'declares every 503 (with Retry-After) and the answers that still work',
      async () => {
        expectConformance(await replay(proxy.exchanges, loaded.document), proxy.exchanges.length, [200, 201, 503]);
      },
      REPLAY_TIMEOUT_MS,
    );
  },
);
