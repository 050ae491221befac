import { randomUUID } from 'node:crypto';
import { adminAuthorization, restartService, SERVICE_ADMIN, startService } from '../support/service-process.js';
import { mapLimit, request, sleep, until, type Answer } from './http-client.js';

/**
 * The kill -9 scenario of DESIGN.md §2 ("an accepted command survives kill -9 and is processed
 * after restart"), shared by the embedded (PGlite) and PostgreSQL runs.
 *
 * A burst of commands goes out on parallel lanes: one lane per user sends that user's PATCHes one
 * after another (so a user never has two requests in flight), two lanes send POSTs. Every 202 is
 * written to a ledger. Part-way through, the service is SIGKILLed and started again on the same
 * data. Requests in flight at the kill have no answer: the client cannot know whether they were
 * accepted, so — as a real client should — it sends them again with the same Idempotency-Key,
 * which makes each planned command end up accepted exactly once (or refused). Then the ledger is
 * checked against the service (HTTP) and against the database itself (the audit).
 */

export interface ScenarioOptions {
  readonly name: string;
  /** DATA_DIR or DATABASE_URL, plus anything else the process needs. */
  readonly env: Record<string, string>;
  /** Reads the tables the audit needs; called after the service stopped gracefully. */
  readonly readDatabase: () => Promise<AuditRows>;
  readonly users?: number;
  readonly total?: number;
  readonly postEvery?: number;
  readonly killAfterAccepted?: number;
  /** How long commands may take to finish after the burst (PostgreSQL leases expire after 30 s). */
  readonly drainTimeoutMs?: number;
  /** How long one planned command may be retried (a dead process's Idempotency-Key reservation). */
  readonly retryTimeoutMs?: number;
}

export interface AuditRows {
  readonly events: readonly {
    causationId: string | null;
    type: string;
    aggregateId: string;
    aggregateVersion: number;
    firstName: string | null;
  }[];
  readonly users: readonly { id: string; version: number; firstName: string }[];
  readonly views: readonly { id: string; version: number; firstName: string }[];
  readonly queues: readonly { queue: string; n: number }[];
  readonly statuses: readonly { status: string; n: number }[];
}

export interface ScenarioReport {
  readonly name: string;
  /** Planned commands sent (each once, or again after a transport error with its key). */
  readonly sent: number;
  readonly requests: number;
  readonly accepted: number;
  readonly acceptedBeforeKill: number;
  readonly rejected: readonly { index: number; status: number; code: string | undefined }[];
  /** Commands whose request had no answer (in flight at the kill), resolved by a keyed retry. */
  readonly inFlightAtKill: number;
  /** Retries answered "the first request with this key is still running" (409) or 503. */
  readonly busyRetries: number;
  readonly unresolved: number;
  readonly succeeded: number;
  /** Accepted commands that succeeded with exactly the one effect they asked for. */
  readonly applied: number;
  readonly failed: readonly { commandId: string; code: string | undefined }[];
  /** Accepted commands that are not `succeeded` with exactly one effect. */
  readonly lost: number;
  /** Effects beyond one per accepted command (events, version increments, unknown commands). */
  readonly duplicates: number;
  /** Commands accepted by the killed process that completed after the restart. */
  readonly recoveredAfterRestart: number;
  readonly restartMs: number;
  /** From the first to the last answer of the burst (kill and restart included). */
  readonly burstMs: number;
  /** Commands accepted per second before the kill, and after the restart. */
  readonly acceptRate: { readonly beforeKill: number; readonly afterRestart: number };
  /** How long the graceful stop (SIGTERM) took at the end. */
  readonly stopMs: number;
  /** From the restart (ready) until the last command accepted before the kill completed; 0 when already done then. */
  readonly backlogDrainMs: number;
  /** From the end of the burst until every accepted command completed. */
  readonly finalDrainMs: number;
  readonly totalMs: number;
  /** Every check that did not hold, in words; empty when the run is clean. */
  readonly problems: readonly string[];
}

type Planned =
  | {
      readonly index: number;
      readonly kind: 'patch';
      readonly key: string;
      readonly userId: string;
      readonly firstName: string;
    }
  | { readonly index: number; readonly kind: 'create'; readonly key: string; readonly body: Record<string, string> };

interface LedgerEntry {
  readonly commandId: string;
  readonly planned: Planned;
  readonly resourceId: string;
  /** 1: the process that was killed; 2: the one started after. */
  readonly process: number;
  readonly acceptedAt: number;
}

interface CommandView {
  status: 'pending' | 'succeeded' | 'failed';
  completedAt?: string;
  error?: { code?: string };
}

/** Where lanes get the live service's URL; closed while the service is down. */
class Gate {
  private url: string | null;
  private waiters: { resolve: (url: string) => void; reject: (error: unknown) => void }[] = [];
  private failure: unknown = null;
  epoch = 1;

  constructor(url: string) {
    this.url = url;
  }

  close(): void {
    this.url = null;
  }

  open(url: string): void {
    this.url = url;
    this.epoch += 1;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(url);
  }

  /** The service did not come back: every lane stops with this error instead of waiting forever. */
  fail(error: unknown): void {
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  current(): Promise<string> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.url !== null) return Promise.resolve(this.url);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}

export async function runKillScenario(options: ScenarioOptions): Promise<ScenarioReport> {
  const userCount = options.users ?? 16;
  const total = options.total ?? 1_000;
  const postEvery = options.postEvery ?? 20;
  const killAfter = options.killAfterAccepted ?? 400;
  const drainTimeoutMs = options.drainTimeoutMs ?? 90_000;
  const retryTimeoutMs = options.retryTimeoutMs ?? 100_000;
  const run = randomUUID().slice(0, 8);
  const problems: string[] = [];
  const startedAt = Date.now();

  let service = await startService({ env: options.env });
  // One admin session for the whole run: its token must keep working across the kill.
  let authorization = await adminAuthorization(service.url);
  const auth = (headers: Record<string, string> = {}) => ({ authorization, ...headers });
  // The bootstrapped admin reaches the read model asynchronously, like every user.
  const admin = await until(Date.now() + 20_000, 100, async () => {
    const answer = await request(
      `${service.url}/api/v1/users?email=${encodeURIComponent(SERVICE_ADMIN.email)}`,
      'GET',
      undefined,
      auth(),
    );
    return answer.status === 200 ? ((answer.body as { items: { id: string }[] }).items[0] ?? null) : null;
  });
  if (!admin) throw new Error('GET /api/v1/users never showed the bootstrapped admin');
  const adminId = admin.id;

  // Setup: users the PATCHes target, created synchronously.
  const setupIds = await mapLimit(
    Array.from({ length: userCount }, (_, n) => n),
    4,
    async (n) => {
      const answer = await request(
        `${service.url}/api/v1/users`,
        'POST',
        userBody(`${run}s${n}`),
        auth({ prefer: 'wait=10' }),
      );
      if (answer.status !== 201) throw new Error(`setup user ${n}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return (answer.body as { id: string }).id;
    },
  );

  // The plan: every `postEvery`-th command creates a user, the rest rename a setup user, each
  // with a value used nowhere else, so every PATCH changes the user and its event is traceable.
  const plan: Planned[] = Array.from({ length: total }, (_, index) => {
    const key = `fault-${run}-${index}`;
    if (index % postEvery === postEvery - 1) {
      return { index, kind: 'create', key, body: userBody(`${run}c${index}`) };
    }
    const userId = setupIds[index % userCount]!;
    return { index, kind: 'patch', key, userId, firstName: `F${index}-${run}` };
  });
  const lanes = new Map<string, Planned[]>();
  for (const planned of plan) {
    const lane = planned.kind === 'patch' ? planned.userId : `create-${planned.index % 2}`;
    lanes.set(lane, [...(lanes.get(lane) ?? []), planned]);
  }

  const ledger: LedgerEntry[] = [];
  const rejected: { index: number; status: number; code: string | undefined }[] = [];
  const ambiguous = new Set<number>();
  let requests = 0;
  let busyRetries = 0;
  let unresolved = 0;
  const gate = new Gate(service.url);
  let crash: Promise<void> | null = null;
  let acceptedBeforeKill = 0;
  let killAt = 0;
  let restartedAt = 0;

  const crashAndRestart = async (): Promise<void> => {
    gate.close();
    acceptedBeforeKill = ledger.length;
    killAt = Date.now();
    await service.kill9();
    try {
      const port = service.port;
      service = await restartService(service, { env: options.env });
      // The token's issuer is the URL: on another port (the old one was taken) log in again.
      if (service.port !== port) authorization = await adminAuthorization(service.url);
    } catch (error) {
      gate.fail(error);
      throw error;
    }
    restartedAt = Date.now();
    gate.open(service.url);
  };

  // Longer than the 35 s a repeat waits on server side for the first request with its key.
  const sendTimeoutMs = 40_000;
  const send = async (planned: Planned, url: string): Promise<Answer> =>
    planned.kind === 'patch'
      ? request(
          `${url}/api/v1/users/${planned.userId}`,
          'PATCH',
          { firstName: planned.firstName },
          auth({ 'idempotency-key': planned.key }),
          sendTimeoutMs,
        )
      : request(`${url}/api/v1/users`, 'POST', planned.body, auth({ 'idempotency-key': planned.key }), sendTimeoutMs);

  const deliver = async (planned: Planned): Promise<void> => {
    const deadline = Date.now() + retryTimeoutMs;
    for (;;) {
      const url = await gate.current();
      const epoch = gate.epoch;
      requests += 1;
      let answer: Answer;
      try {
        answer = await send(planned, url);
      } catch {
        // No answer: accepted or not, nobody can tell. Ask again with the same key.
        ambiguous.add(planned.index);
        if (Date.now() > deadline) {
          unresolved += 1;
          return;
        }
        await sleep(50);
        continue;
      }
      if (answer.status === 202) {
        const body = answer.body as { commandId: string; resourceId: string };
        ledger.push({
          commandId: body.commandId,
          planned,
          resourceId: body.resourceId,
          process: epoch,
          acceptedAt: Date.now(),
        });
        if (!crash && ledger.length >= killAfter) {
          crash = crashAndRestart();
          // Its failure reaches the lanes through the gate, and the awaited `crash` below.
          crash.catch(() => undefined);
        }
        return;
      }
      const code = (answer.body as { code?: string } | undefined)?.code;
      if ((answer.status === 409 && code === 'idempotency_key_in_use') || answer.status === 503) {
        busyRetries += 1;
        if (Date.now() > deadline) {
          unresolved += 1;
          problems.push(`command ${planned.index} still refused with ${answer.status} ${code} at its deadline`);
          return;
        }
        await sleep(1_000);
        continue;
      }
      rejected.push({ index: planned.index, status: answer.status, code });
      return;
    }
  };

  const burstStart = Date.now();
  await Promise.all(
    [...lanes.values()].map(async (lane) => {
      for (const planned of lane) await deliver(planned);
    }),
  );
  if (!crash) throw new Error(`only ${ledger.length} commands were accepted: the kill never happened`);
  await crash;
  const burstEnd = Date.now();

  // Every accepted command must finish; none may stay pending.
  const views = new Map<string, CommandView>();
  const drained = await until(burstEnd + drainTimeoutMs, 250, async () => {
    const open = ledger.filter(
      (entry) => views.get(entry.commandId)?.status !== 'succeeded' && views.get(entry.commandId)?.status !== 'failed',
    );
    await mapLimit(open, 8, async (entry) => {
      const answer = await request(`${service.url}/api/v1/commands/${entry.commandId}`, 'GET', undefined, auth());
      if (answer.status === 200) views.set(entry.commandId, answer.body as CommandView);
    });
    return ledger.every((entry) => views.get(entry.commandId)?.status !== 'pending' && views.has(entry.commandId))
      ? true
      : null;
  });
  const finalDrainMs = Date.now() - burstEnd;
  if (!drained) problems.push(`commands still pending ${drainTimeoutMs} ms after the burst`);

  const failed = ledger
    .filter((entry) => views.get(entry.commandId)?.status === 'failed')
    .map((entry) => ({ commandId: entry.commandId, code: views.get(entry.commandId)?.error?.code }));
  const succeeded = ledger.filter((entry) => views.get(entry.commandId)?.status === 'succeeded');
  const beforeKill = ledger.filter((entry) => entry.process === 1);
  const completedAfterKill = beforeKill
    .map((entry) => Date.parse(views.get(entry.commandId)?.completedAt ?? ''))
    .filter((at) => Number.isFinite(at) && at > killAt);
  const backlogDrainMs = Math.max(0, ...completedAfterKill.map((at) => at - restartedAt));

  // The read model catches up: each user's version is 1 + the PATCHes accepted for it.
  const expectedVersion = new Map(setupIds.map((id) => [id, 1]));
  const acceptedNames = new Map<string, Set<string>>(setupIds.map((id) => [id, new Set(['Grace'])]));
  for (const entry of ledger) {
    if (entry.planned.kind !== 'patch') continue;
    expectedVersion.set(entry.planned.userId, expectedVersion.get(entry.planned.userId)! + 1);
    acceptedNames.get(entry.planned.userId)!.add(entry.planned.firstName);
  }
  let duplicates = 0;
  const readDeadline = Date.now() + 60_000;
  await mapLimit(setupIds, 4, async (id) => {
    const seen = await until(readDeadline, 200, async () => {
      const answer = await request(`${service.url}/api/v1/users/${id}`, 'GET', undefined, auth());
      const user = answer.body as { version: number; firstName: string };
      return answer.status === 200 && user.version >= expectedVersion.get(id)! ? user : null;
    });
    if (!seen) {
      problems.push(`read model of user ${id} never reached version ${expectedVersion.get(id)}`);
      return;
    }
    if (seen.version !== expectedVersion.get(id)) {
      duplicates += seen.version - expectedVersion.get(id)!;
      problems.push(`user ${id}: version ${seen.version}, expected ${expectedVersion.get(id)}`);
    }
    if (!acceptedNames.get(id)!.has(seen.firstName))
      problems.push(`user ${id}: firstName ${seen.firstName} was never accepted`);
  });
  const createdIds = ledger.filter((entry) => entry.planned.kind === 'create').map((entry) => entry.resourceId);
  await mapLimit(createdIds, 4, async (id) => {
    const seen = await until(readDeadline, 200, async () => {
      const answer = await request(`${service.url}/api/v1/users/${id}`, 'GET', undefined, auth());
      return answer.status === 200 ? (answer.body as { version: number }) : null;
    });
    if (!seen) problems.push(`created user ${id} never appeared in the read model`);
    else if (seen.version !== 1) problems.push(`created user ${id}: version ${seen.version}, expected 1`);
  });
  const listed = await listAllUserIds(service.url, auth());
  const expectedIds = new Set([adminId, ...setupIds, ...createdIds]);
  if (listed.length !== expectedIds.size || listed.some((id) => !expectedIds.has(id))) {
    problems.push(`GET /users lists ${listed.length} users, expected ${expectedIds.size}`);
  }

  // Graceful stop, then the audit reads the tables themselves.
  const stopStarted = Date.now();
  const exit = await service.stop();
  const stopMs = Date.now() - stopStarted;
  if (exit.code !== 0) {
    problems.push(`graceful stop exited with ${JSON.stringify(exit)}:\n${service.output.slice(-15).join('\n')}`);
  }
  const rows = await options.readDatabase();
  const audit = auditLedger(rows, ledger, [adminId, ...setupIds], expectedVersion);
  problems.push(...audit.problems);
  duplicates = Math.max(duplicates, audit.duplicates);
  const lostIds = new Set([
    ...ledger.filter((entry) => views.get(entry.commandId)?.status !== 'succeeded').map((entry) => entry.commandId),
    ...audit.withoutEffect,
  ]);

  return {
    name: options.name,
    sent: total,
    requests,
    accepted: ledger.length,
    acceptedBeforeKill,
    rejected,
    inFlightAtKill: ambiguous.size,
    busyRetries,
    unresolved,
    succeeded: succeeded.length,
    applied: succeeded.filter((entry) => !lostIds.has(entry.commandId)).length,
    failed,
    lost: lostIds.size,
    duplicates,
    recoveredAfterRestart: completedAfterKill.length,
    restartMs: restartedAt - killAt,
    burstMs: burstEnd - burstStart,
    acceptRate: {
      beforeKill: Math.round((acceptedBeforeKill * 1000) / Math.max(1, killAt - burstStart)),
      afterRestart: Math.round(
        (ledger.filter((entry) => entry.acceptedAt >= restartedAt).length * 1000) /
          Math.max(1, Math.max(...ledger.map((entry) => entry.acceptedAt)) - restartedAt),
      ),
    },
    stopMs,
    backlogDrainMs,
    finalDrainMs,
    totalMs: Date.now() - startedAt,
    problems,
  };
}

/** Checks the database against the ledger: one event per accepted command, nothing else. */
function auditLedger(
  rows: AuditRows,
  ledger: readonly LedgerEntry[],
  setupIds: readonly string[],
  expectedVersion: ReadonlyMap<string, number>,
): { problems: string[]; duplicates: number; withoutEffect: string[] } {
  const problems: string[] = [];
  let duplicates = 0;
  const byCause = new Map<string, AuditRows['events'][number][]>();
  for (const event of rows.events) {
    const cause = event.causationId ?? '';
    byCause.set(cause, [...(byCause.get(cause) ?? []), event]);
  }
  const withoutEffect: string[] = [];
  const known = new Set<string>();
  for (const entry of ledger) {
    known.add(entry.commandId);
    const events = byCause.get(entry.commandId) ?? [];
    const planned = entry.planned;
    const matching = events.filter((event) =>
      planned.kind === 'patch'
        ? event.type === 'users.user.profile_updated' &&
          event.aggregateId === planned.userId &&
          event.firstName === planned.firstName
        : event.type === 'users.user.created' && event.aggregateId === entry.resourceId,
    );
    if (matching.length === 0) withoutEffect.push(entry.commandId);
    if (events.length > 1) {
      duplicates += events.length - 1;
      problems.push(`command ${entry.commandId} (${planned.kind} #${planned.index}) has ${events.length} events`);
    }
  }
  const setup = new Set(setupIds);
  const strangers = rows.events.filter(
    (event) =>
      !known.has(event.causationId ?? '') && !(event.type === 'users.user.created' && setup.has(event.aggregateId)),
  );
  if (strangers.length > 0) {
    duplicates += strangers.length;
    problems.push(
      `${strangers.length} events come from commands nobody got a 202 for: ${JSON.stringify(strangers.slice(0, 3))}`,
    );
  }
  const names = new Map<string, number>();
  for (const event of rows.events) {
    if (event.type === 'users.user.profile_updated' && event.firstName)
      names.set(event.firstName, (names.get(event.firstName) ?? 0) + 1);
  }
  const repeated = [...names].filter(([, n]) => n > 1);
  if (repeated.length > 0) problems.push(`${repeated.length} PATCH values were applied more than once`);
  if (withoutEffect.length > 0) problems.push(`${withoutEffect.length} accepted commands left no event`);

  const views = new Map(rows.views.map((view) => [view.id, view]));
  for (const user of rows.users) {
    const expected = expectedVersion.get(user.id);
    if (expected !== undefined && user.version !== expected) {
      problems.push(`write model: user ${user.id} at version ${user.version}, expected ${expected}`);
    }
    const view = views.get(user.id);
    if (!view || view.version !== user.version || view.firstName !== user.firstName) {
      problems.push(
        `read model of ${user.id} (${JSON.stringify(view)}) differs from the write model (${JSON.stringify(user)})`,
      );
    }
  }
  const dead = rows.queues.filter((row) => row.queue.endsWith('.dlq') && row.n > 0);
  if (dead.length > 0) problems.push(`dead-lettered messages: ${JSON.stringify(dead)}`);
  const notDone = rows.statuses.filter((row) => row.status !== 'succeeded');
  if (notDone.length > 0) problems.push(`command_status rows not succeeded: ${JSON.stringify(notDone)}`);
  return { problems, duplicates, withoutEffect };
}

async function listAllUserIds(url: string, headers: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const answer = await request(`${url}/api/v1/users?limit=100${query}`, 'GET', undefined, headers);
    if (answer.status !== 200) throw new Error(`GET /users: ${answer.status} ${JSON.stringify(answer.body)}`);
    const body = answer.body as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...body.items.map((item) => item.id));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return ids;
}

function userBody(tag: string): Record<string, string> {
  return {
    email: `fault-${tag}@example.com`,
    username: `fault-${tag}`.toLowerCase().slice(0, 30),
    firstName: 'Grace',
    lastName: 'Hopper',
    password: 'compiler-pioneer-1952',
  };
}

/** The SQL the audit runs; the same on PGlite and PostgreSQL. */
export const AUDIT_QUERIES = {
  events: `select metadata->>'causationId' as "causationId", type, aggregate_id as "aggregateId",
                  aggregate_version as "aggregateVersion", data->>'firstName' as "firstName"
             from messaging.outbox where type like 'users.user.%' order by position`,
  users: `select id, version, first_name as "firstName" from users.users`,
  views: `select id, version, first_name as "firstName" from read.user_views`,
  queues: `select queue, count(*)::int as n from messaging.queue_messages group by queue`,
  statuses: `select status, count(*)::int as n from messaging.command_status group by status`,
} as const;

export function formatReport(report: ScenarioReport): string {
  return (
    `[fault:${report.name}] sent=${report.sent} accepted=${report.accepted} (before kill ${report.acceptedBeforeKill}) ` +
    `rejected=${report.rejected.length} applied=${report.applied} ` +
    `lost=${report.lost} duplicates=${report.duplicates} failed=${report.failed.length} ` +
    `inFlightAtKill=${report.inFlightAtKill} busyRetries=${report.busyRetries} unresolved=${report.unresolved} ` +
    `requests=${report.requests} recoveredAfterRestart=${report.recoveredAfterRestart} burstMs=${report.burstMs} acceptRate=${report.acceptRate.beforeKill}/s,${report.acceptRate.afterRestart}/s restartMs=${report.restartMs} ` +
    `backlogDrainMs=${report.backlogDrainMs} finalDrainMs=${report.finalDrainMs} stopMs=${report.stopMs} totalMs=${report.totalMs}`
  );
}
