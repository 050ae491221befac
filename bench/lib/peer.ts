import { startChild } from './child.js';
import { call, inParallel } from './http.js';
import type { Owned } from './infra.js';
import type { CycleRequests } from './load-spec.js';
import { runLoad } from './measure.js';
import { PEER_NAME, peerVersion } from './peer-config.js';
import { BENCH_PASSWORD, type SeededUser } from './portico.js';
import { postgresGroup, singleProcess, type ProcessGroup } from './proc.js';
import { loginRequests, serviceGroups, signUpRequests, type ServiceUnderTest } from './portico-scenarios.js';
import { CONCURRENCY, fromLoad, mergeRepeats, record, type BenchContext } from './scenarios.js';

/**
 * The peer scenarios: Portico and Better Auth (peer-config.ts) on the same PostgreSQL, measured in
 * alternating rounds (Portico, then Better Auth, then Portico again…) with the same connections, so
 * that other work on the machine, which comes and goes, weighs on both sides alike.
 */

export const PEER_SCENARIOS = ['peer-login', 'peer-read', 'peer-signup'] as const;
export type PeerScenario = (typeof PEER_SCENARIOS)[number];

/** What Portico brings to the peer scenarios (seeded by the orchestrator for its own scenarios). */
export interface PorticoSide {
  readonly sut: ServiceUnderTest;
  /** The login pool; Better Auth gets as many users of its own. */
  readonly users: readonly SeededUser[];
  /** A signed-in user's access token, for the read. */
  readonly accessToken: string;
}

interface Side {
  readonly label: 'portico' | 'better-auth';
  readonly url: string;
  readonly setup: string;
  readonly title: string;
  readonly groups: readonly ProcessGroup[];
  readonly requests: (round: number) => CycleRequests;
}

interface ScenarioSpec {
  readonly unit: string;
  readonly connections: number;
  readonly timeoutSeconds?: number;
  readonly sides: readonly [Side, Side];
}

const JSON_BODY = { 'content-type': 'application/json' } as const;

/** Starts Better Auth on `database`, runs each selected scenario's rounds, stops it. */
export async function peerScenarios(
  ctx: BenchContext,
  portico: PorticoSide,
  database: Owned,
  selected: readonly PeerScenario[],
  rounds: number,
): Promise<void> {
  ctx.progress.begin(`start ${PEER_NAME} ${peerVersion()} on PostgreSQL`);
  const server = startChild('better-auth-peer.ts', { BENCH_PEER_DATABASE_URL: database.url });
  try {
    const url = String((await server.next('ready', 120_000)).url);
    ctx.progress.phase(`signing up ${portico.users.length} users`);
    const emails = await signUpPeerUsers(url, `bp${ctx.runId}`, portico.users.length);
    const cookie = await peerSessionCookie(url, emails[0]!);
    const groups = [singleProcess('better-auth', server.pid), postgresGroup([database.name])];
    const peer: PeerServer = { url, groups, emails, cookie };
    for (const id of selected) await alternate(ctx, id, scenarioSpec(id, ctx.runId, portico, peer), rounds);
  } finally {
    await server.stop();
  }
}

interface PeerServer {
  readonly url: string;
  readonly groups: readonly ProcessGroup[];
  /** The login pool's emails; the first one is also the reader. */
  readonly emails: readonly string[];
  readonly cookie: string;
}

interface SpecInputs {
  readonly runId: string;
  readonly portico: PorticoSide;
  readonly peer: PeerServer;
  readonly side: (label: Side['label'], title: string, requests: Side['requests']) => Side;
}

const SPECS: Record<PeerScenario, (inputs: SpecInputs) => ScenarioSpec> = {
  'peer-login': ({ portico, peer, side }) => ({
    unit: 'logins/s',
    connections: CONCURRENCY.hashing,
    sides: [
      side('portico', 'POST /api/v1/auth/login', () => loginRequests(portico.users)),
      side('better-auth', 'POST /api/auth/sign-in/email', () => ({
        kind: 'cycle',
        method: 'POST',
        headers: JSON_BODY,
        items: peer.emails.map((email) => ({
          path: '/api/auth/sign-in/email',
          body: JSON.stringify({ email, password: BENCH_PASSWORD }),
        })),
      })),
    ],
  }),
  'peer-read': ({ portico, peer, side }) => ({
    unit: 'req/s',
    connections: CONCURRENCY.http,
    sides: [
      side('portico', 'GET /api/v1/auth/me (bearer token)', () => ({
        kind: 'cycle',
        method: 'GET',
        headers: { authorization: `Bearer ${portico.accessToken}` },
        items: [{ path: '/api/v1/auth/me' }],
      })),
      side('better-auth', 'GET /api/auth/get-session (session cookie)', () => ({
        kind: 'cycle',
        method: 'GET',
        headers: { cookie: peer.cookie },
        items: [{ path: '/api/auth/get-session' }],
      })),
    ],
  }),
  // Each round's load child counts `{n}` from zero again: the round goes into the email.
  'peer-signup': ({ runId, side }) => ({
    unit: 'sign-ups/s',
    connections: CONCURRENCY.hashing,
    timeoutSeconds: 35,
    sides: [
      side('portico', 'POST /api/v1/auth/register, Prefer: wait', (round) => signUpRequests(`pr${runId}-${round}`)),
      side('better-auth', 'POST /api/auth/sign-up/email', (round) => ({
        kind: 'cycle',
        method: 'POST',
        headers: JSON_BODY,
        items: [
          {
            path: '/api/auth/sign-up/email',
            body: JSON.stringify({
              email: `ps${runId}-${round}-{n}@bench.example.com`,
              name: 'Bench Signup {n}',
              password: BENCH_PASSWORD,
            }),
          },
        ],
      })),
    ],
  }),
};

function scenarioSpec(id: PeerScenario, runId: string, portico: PorticoSide, peer: PeerServer): ScenarioSpec {
  const setup = `${PEER_NAME} ${peerVersion()}, PostgreSQL`;
  const side: SpecInputs['side'] = (label, title, requests) =>
    label === 'portico'
      ? {
          label,
          url: portico.sut.service.url,
          setup: portico.sut.setup,
          title: `Portico: ${title}`,
          groups: serviceGroups(portico.sut),
          requests,
        }
      : { label, url: peer.url, setup, title: `${PEER_NAME}: ${title}`, groups: peer.groups, requests };
  return SPECS[id]({ runId, portico, peer, side });
}

/**
 * `rounds` × (Portico, Better Auth), each `--duration` seconds. Only the first round warms up: both
 * servers keep running, so later rounds start warm. Each side ends as one row (its median round).
 */
async function alternate(ctx: BenchContext, id: PeerScenario, spec: ScenarioSpec, rounds: number): Promise<void> {
  for (let round = 1; round <= rounds; round += 1) {
    for (const side of spec.sides) {
      ctx.progress.begin(`${id}, round ${round}/${rounds}: ${side.label === 'portico' ? 'Portico' : PEER_NAME}`);
      const measured = await runLoad(
        {
          url: side.url,
          connections: spec.connections,
          durationSeconds: ctx.durationSeconds,
          warmupSeconds: round === 1 ? ctx.warmupSeconds : 0,
          ...(spec.timeoutSeconds !== undefined && { timeoutSeconds: spec.timeoutSeconds }),
          requests: side.requests(round),
        },
        side.groups,
        ctx.progress,
      );
      const concurrency = `${spec.connections} conn`;
      record(ctx, fromLoad(`${id}:${side.label}`, id, side.title, side.setup, spec.unit, measured, concurrency));
    }
  }
  for (const side of spec.sides) mergeRepeats(ctx, `${id}:${side.label}`, 'median');
}

export async function signUpPeerUsers(url: string, prefix: string, count: number): Promise<string[]> {
  return inParallel(count, 4, async (i) => {
    const email = `${prefix}-${i}@bench.example.com`;
    const { status, body } = await peerCall(url, '/api/auth/sign-up/email', {
      email,
      name: `Bench User ${i}`,
      password: BENCH_PASSWORD,
    });
    if (status !== 200) throw new Error(`${PEER_NAME} sign-up of ${email} failed: ${status} ${JSON.stringify(body)}`);
    return email;
  });
}

/** Signs in and returns the `cookie` header a browser would send back. */
export async function peerSessionCookie(url: string, email: string): Promise<string> {
  const answer = await peerCall(url, '/api/auth/sign-in/email', { email, password: BENCH_PASSWORD });
  const cookies = answer.headers.getSetCookie().map((c) => c.split(';')[0]!);
  if (answer.status !== 200 || cookies.length === 0)
    throw new Error(`${PEER_NAME} sign-in of ${email} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return cookies.join('; ');
}

/**
 * fetch sends `Sec-Fetch-Mode`, after which Better Auth's CSRF check wants an `Origin` (as a
 * browser's would be); autocannon sends neither, which it accepts.
 */
function peerCall(url: string, path: string, body: unknown) {
  return call(`${url}${path}`, { method: 'POST', headers: { origin: url }, body });
}
