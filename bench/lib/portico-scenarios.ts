import type { CycleRequests } from './load-spec.js';
import { runLoad } from './measure.js';
import { login, registerUsers, BENCH_PASSWORD, type PorticoProcess, type SeededUser, type Tokens } from './portico.js';
import { singleProcess, type ProcessGroup } from './proc.js';
import type { ScenarioResult } from './results.js';
import { CONCURRENCY, fromLoad, record, type BenchContext } from './scenarios.js';

/** Portico's request/answer scenarios: reads, login, refresh and sign-up. */

export interface ServiceUnderTest {
  readonly service: PorticoProcess;
  readonly setup: string;
  /** Processes to sample besides the service and the load generator. */
  readonly groups: readonly ProcessGroup[];
}

export interface Seed {
  readonly users: readonly SeededUser[];
  readonly probes: readonly SeededUser[];
  readonly adminToken: string;
}

export const serviceGroups = (sut: ServiceUnderTest): ProcessGroup[] => [
  ...sut.service.roles.map(({ role, pid }) => singleProcess(role === 'start' ? 'portico' : `portico ${role}`, pid)),
  ...sut.groups,
];

export async function seed(
  ctx: BenchContext,
  sut: ServiceUnderTest,
  adminEmail: string,
  adminPassword: string,
  users: number,
): Promise<Seed> {
  ctx.progress.phase(`seeding ${users} users`);
  const admin = await login(sut.service.url, adminEmail, adminPassword);
  const all = await registerUsers(sut.service.url, `b${ctx.runId}-${sut.service.label}`, users + 2);
  return { users: all.slice(0, users), probes: all.slice(users), adminToken: admin.accessToken };
}

export async function reads(
  ctx: BenchContext,
  sut: ServiceUnderTest,
  user: SeededUser,
  token: string,
): Promise<ScenarioResult> {
  const measured = await runLoad(
    {
      url: sut.service.url,
      connections: CONCURRENCY.http,
      durationSeconds: ctx.durationSeconds,
      warmupSeconds: ctx.warmupSeconds,
      requests: {
        kind: 'cycle',
        method: 'GET',
        headers: { authorization: `Bearer ${token}` },
        items: [{ path: `/api/v1/users/${user.id}` }],
      },
    },
    serviceGroups(sut),
    ctx.progress,
  );
  return record(
    ctx,
    fromLoad(
      'reads',
      'reads',
      'GET /api/v1/users/{id} (bearer token, self)',
      sut.setup,
      'req/s',
      measured,
      `${CONCURRENCY.http} conn`,
    ),
  );
}

/** `POST /auth/login`, the users in turn. */
export function loginRequests(users: readonly SeededUser[]): CycleRequests {
  return {
    kind: 'cycle',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    items: users.map((u) => ({
      path: '/api/v1/auth/login',
      body: JSON.stringify({ email: u.email, password: BENCH_PASSWORD }),
    })),
  };
}

/** `POST /auth/register` with `Prefer: wait`: a new user each request (`prefix` must be new to the run). */
export function signUpRequests(prefix: string): CycleRequests {
  return {
    kind: 'cycle',
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'wait=30' },
    items: [
      {
        path: '/api/v1/auth/register',
        body: JSON.stringify({
          email: `${prefix}-{n}@bench.example.com`,
          username: `${prefix}-{n}`,
          firstName: 'Bench',
          lastName: 'Signup {n}',
          password: BENCH_PASSWORD,
        }),
      },
    ],
  };
}

export async function logins(
  ctx: BenchContext,
  sut: ServiceUnderTest,
  users: readonly SeededUser[],
): Promise<ScenarioResult> {
  const measured = await runLoad(
    {
      url: sut.service.url,
      connections: CONCURRENCY.hashing,
      durationSeconds: ctx.durationSeconds,
      warmupSeconds: ctx.warmupSeconds,
      requests: loginRequests(users),
    },
    serviceGroups(sut),
    ctx.progress,
  );
  return record(
    ctx,
    fromLoad(
      'login',
      'login',
      'POST /api/v1/auth/login',
      sut.setup,
      'logins/s',
      measured,
      `${CONCURRENCY.hashing} conn, ${users.length} users`,
    ),
  );
}

export async function refreshes(
  ctx: BenchContext,
  sut: ServiceUnderTest,
  users: readonly SeededUser[],
): Promise<ScenarioResult> {
  // Each answer's new refresh token goes back into the pool.
  ctx.progress.phase('logging in to open sessions');
  const sessions: Tokens[] = [];
  // Requests in flight when the warm-up stops are never answered to the load generator: their tokens
  // are spent. Two per connection (warm-up and measured run) and a few spare.
  for (let i = 0; i < 2 * CONCURRENCY.http + 8; i += 1) {
    const user = users[i % users.length]!;
    sessions.push(await login(sut.service.url, user.email, BENCH_PASSWORD));
  }
  const measured = await runLoad(
    {
      url: sut.service.url,
      connections: CONCURRENCY.http,
      durationSeconds: ctx.durationSeconds,
      warmupSeconds: ctx.warmupSeconds,
      requests: { kind: 'refresh-chain', path: '/api/v1/auth/refresh', tokens: sessions.map((s) => s.refreshToken) },
    },
    serviceGroups(sut),
    ctx.progress,
  );
  return record(
    ctx,
    fromLoad(
      'refresh',
      'refresh',
      'POST /api/v1/auth/refresh (rotation)',
      sut.setup,
      'refreshes/s',
      measured,
      `${CONCURRENCY.http} conn, ${sessions.length} sessions`,
    ),
  );
}

export async function registrations(ctx: BenchContext, sut: ServiceUnderTest): Promise<ScenarioResult> {
  const measured = await runLoad(
    {
      url: sut.service.url,
      connections: CONCURRENCY.hashing,
      durationSeconds: ctx.durationSeconds,
      warmupSeconds: ctx.warmupSeconds,
      timeoutSeconds: 35,
      requests: signUpRequests(`r${ctx.runId}`),
    },
    serviceGroups(sut),
    ctx.progress,
  );
  return record(
    ctx,
    fromLoad(
      'register',
      'register',
      'POST /api/v1/auth/register, Prefer: wait',
      sut.setup,
      'sign-ups/s',
      measured,
      `${CONCURRENCY.hashing} conn`,
    ),
  );
}
