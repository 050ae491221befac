import { request, sleep } from '../http-client.js';
import { ADMIN } from './cluster.js';

export interface LedgerEntry {
  readonly n: number;
  readonly kind: 'create' | 'patch';
  /** HTTP status, or `no-answer` (connection refused, reset or timed out). */
  status: number | 'no-answer';
  commandId?: string;
  resourceId?: string;
}

export interface LoadOptions {
  readonly apiUrl: () => string;
  readonly ratePerSecond: number;
  /** Users that exist before the load; PATCHes go to them round-robin. */
  readonly users: readonly string[];
  readonly headers: Record<string, string>;
  readonly runId: string;
}

/**
 * A steady stream of commands at a fixed rate, half creates and half profile updates, each
 * request bounded in time. Every answer goes to the ledger; a 202 carries the command id the
 * audit follows. Requests never wait for each other, so a stalled service does not slow the
 * stream down (at most 64 in flight; ticks beyond that are counted as skipped).
 */
export class SteadyLoad {
  readonly ledger: LedgerEntry[] = [];
  skipped = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: LoadOptions) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private sequence = 0;

  /**
   * Sends one command now (outside the steady stream too) and records it. `same` repeats the body
   * of an earlier entry (a client retrying the same request).
   */
  send(kind: 'create' | 'patch', headers: Record<string, string> = {}, same?: LedgerEntry): Promise<LedgerEntry> {
    const n = same?.n ?? this.sequence++;
    const entry: LedgerEntry = { n, kind, status: 'no-answer' };
    this.ledger.push(entry);
    const { runId, users } = this.options;
    const [method, path, body] =
      kind === 'create'
        ? ([
            'POST',
            '/api/v1/users',
            {
              email: `${runId}-${n}@example.com`,
              username: `${runId}_${n}`,
              firstName: 'Load',
              lastName: `Number ${n}`,
              password: 'steady-load-password-1',
            },
          ] as const)
        : (['PATCH', `/api/v1/users/${users[n % users.length]}`, { firstName: `Patch ${n}` }] as const);
    return request(`${this.options.apiUrl()}${path}`, method, body, { ...this.options.headers, ...headers }, 10_000)
      .then((answer) => {
        entry.status = answer.status;
        const reply = answer.body as { commandId?: string; resourceId?: string } | undefined;
        if (answer.status === 202 && reply?.commandId) {
          entry.commandId = reply.commandId;
          entry.resourceId = reply.resourceId ?? '';
        }
        return entry;
      })
      .catch(() => entry);
  }

  private async run(): Promise<void> {
    const interval = 1000 / this.options.ratePerSecond;
    let next = Date.now();
    let n = 0;
    while (this.running) {
      if (this.inFlight.size >= 64) {
        this.skipped += 1;
      } else {
        const job = this.send(n % 2 === 0 ? 'create' : 'patch').then(() => undefined);
        this.inFlight.add(job);
        void job.finally(() => this.inFlight.delete(job));
      }
      n += 1;
      next += interval;
      await sleep(Math.max(0, next - Date.now()));
    }
  }

  accepted(): LedgerEntry[] {
    return this.ledger.filter((e) => e.status === 202 && e.commandId);
  }
}

/** A bearer token for the bootstrap admin when the API asks for one; no headers while it does not. */
export async function authHeaders(apiUrl: string): Promise<Record<string, string>> {
  const login = await request(`${apiUrl}/api/v1/auth/login`, 'POST', ADMIN, {}, 15_000).catch(() => null);
  const token = (login?.body as { accessToken?: string } | undefined)?.accessToken;
  return login?.status === 200 && token ? { authorization: `Bearer ${token}` } : {};
}

/** Creates users and waits for each to be in the read model (`Prefer: wait`); returns their ids. */
export async function seedUsers(
  apiUrl: string,
  headers: Record<string, string>,
  runId: string,
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const answer = await request(
      `${apiUrl}/api/v1/users`,
      'POST',
      {
        email: `${runId}-seed${i}@example.com`,
        username: `${runId}_seed${i}`,
        firstName: 'Seed',
        lastName: `Number ${i}`,
        password: 'steady-load-password-1',
      },
      { ...headers, prefer: 'wait=20' },
      25_000,
    );
    const id = (answer.body as { id?: string } | undefined)?.id;
    if (answer.status !== 201 || !id)
      throw new Error(`seeding failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    ids.push(id);
  }
  return ids;
}
