import pg from 'pg';
import { deadLetterQueue } from '../../../src/platform/messaging/topology.js';
import { TOPOLOGY } from '../../support/contexts.js';
import { sleep } from '../http-client.js';
import { queueInfo } from './cluster.js';
import type { LedgerEntry } from './load.js';

export interface CaseReport {
  readonly name: string;
  readonly sent: number;
  readonly accepted: number;
  /** Accepted commands that succeeded with exactly one event. */
  readonly applied: number;
  /** Accepted commands without a final status or without their event. */
  readonly lost: number;
  /** Events beyond one per command, and version numbers used twice. */
  readonly duplicates: number;
  /** Accepted commands that failed with a domain error (a final answer, not a loss). */
  readonly failed: number;
  /** Answers other than 202, by status (503 while a dependency is down is expected). */
  readonly refused: Readonly<Record<string, number>>;
  /** Requests with no answer at all (the client cannot know; audited separately). */
  readonly unanswered: number;
  /** Commands answered with something other than 202 that were applied anyway. */
  readonly appliedUnaccepted: number;
  readonly unpublished: number;
  readonly unprojected: number;
  readonly dlq: Readonly<Record<string, number>>;
  readonly drainMs: number;
}

interface Snapshot {
  statuses: Map<string, string>;
  effects: Map<string, number>;
  unpublished: number;
  unprojected: number;
  versionReuse: number;
}

/**
 * Waits until every accepted command has finished and every event is published and projected,
 * then checks the ledger against the database: each 202 applied exactly once, nothing lost,
 * every users event in the read model, and the dead-letter queues as expected.
 */
export async function audit(options: {
  readonly name: string;
  readonly databaseUrl: string;
  readonly amqpUrl: string;
  readonly ledger: readonly LedgerEntry[];
  readonly timeoutMs: number;
  /** Succeeded commands before the load (seeding): not the load's. */
  readonly succeededBefore: number;
}): Promise<CaseReport> {
  const accepted = options.ledger.filter((e) => e.status === 202 && e.commandId);
  const ids = accepted.map((e) => e.commandId!);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  const started = Date.now();
  try {
    let snapshot = await read(client, ids);
    while (!settled(snapshot, ids) && Date.now() - started < options.timeoutMs) {
      await sleep(500);
      snapshot = await read(client, ids);
    }
    const drainMs = Date.now() - started;
    let applied = 0;
    let lost = 0;
    let failed = 0;
    let duplicates = snapshot.versionReuse;
    for (const id of ids) {
      const status = snapshot.statuses.get(id);
      const effects = snapshot.effects.get(id) ?? 0;
      duplicates += Math.max(0, effects - 1);
      if (status === 'succeeded' && effects === 1) applied += 1;
      else if (status === 'failed' && effects === 0) failed += 1;
      else if (effects === 0) lost += 1;
    }
    const refused: Record<string, number> = {};
    for (const entry of options.ledger) {
      if (entry.status !== 202 && entry.status !== 'no-answer')
        refused[entry.status] = (refused[entry.status] ?? 0) + 1;
    }
    const total = await client.query<{ n: number }>(
      `select count(*)::int as n from messaging.command_status where status = 'succeeded'`,
    );
    const succeededAccepted = ids.filter((id) => snapshot.statuses.get(id) === 'succeeded').length;
    const dlq: Record<string, number> = {};
    for (const queue of TOPOLOGY.workQueues) {
      const info = await queueInfo(options.amqpUrl, deadLetterQueue(queue));
      if (info) dlq[deadLetterQueue(queue)] = info.messageCount;
    }
    return {
      name: options.name,
      sent: options.ledger.length,
      accepted: accepted.length,
      applied,
      lost,
      duplicates,
      failed,
      refused,
      unanswered: options.ledger.filter((e) => e.status === 'no-answer').length,
      appliedUnaccepted: (total.rows[0]?.n ?? 0) - options.succeededBefore - succeededAccepted,
      unpublished: snapshot.unpublished,
      unprojected: snapshot.unprojected,
      dlq,
      drainMs,
    };
  } finally {
    await client.end();
  }
}

function settled(s: Snapshot, ids: readonly string[]): boolean {
  const finished = ids.every((id) => {
    const status = s.statuses.get(id);
    return status === 'failed' || (status === 'succeeded' && (s.effects.get(id) ?? 0) > 0);
  });
  return finished && s.unpublished === 0 && s.unprojected === 0;
}

async function read(client: pg.Client, ids: readonly string[]): Promise<Snapshot> {
  const statuses = await client.query<{ id: string; status: string }>(
    `select command_id::text as id, status from messaging.command_status where command_id::text = any($1::text[])`,
    [ids],
  );
  const effects = await client.query<{ id: string; n: number }>(
    `select metadata->>'causationId' as id, count(*)::int as n from messaging.outbox
      where metadata->>'causationId' = any($1::text[]) group by 1`,
    [ids],
  );
  const counts = await client.query<{ unpublished: number; unprojected: number; reuse: number }>(`
    select
      (select count(*)::int from messaging.outbox where published_at is null) as unpublished,
      (select count(*)::int from messaging.outbox o
        where o.type like 'users.user.%'
          and (not exists (select 1 from messaging.inbox i
                            where i.consumer = 'projection:user-views' and i.message_id = o.event_id::text)
               or coalesce((select v.version from read.user_views v where v.id = o.aggregate_id), 0)
                  < o.aggregate_version)) as unprojected,
      (select coalesce(sum(n - 1), 0)::int from (
         select count(*) as n from messaging.outbox group by aggregate_id, aggregate_version having count(*) > 1) d) as reuse`);
  return {
    statuses: new Map(statuses.rows.map((r) => [r.id, r.status])),
    effects: new Map(effects.rows.map((r) => [r.id, r.n])),
    unpublished: counts.rows[0]!.unpublished,
    unprojected: counts.rows[0]!.unprojected,
    versionReuse: counts.rows[0]!.reuse,
  };
}

export function printReport(report: CaseReport): void {
  const refused = Object.entries(report.refused)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  const dlq = Object.entries(report.dlq)
    .filter(([, n]) => n > 0)
    .map(([q, n]) => `${q}=${n}`)
    .join(' ');
  console.log(
    `[${report.name}] sent=${report.sent} accepted=${report.accepted} applied=${report.applied} lost=${report.lost} ` +
      `duplicates=${report.duplicates} failed=${report.failed} refused={${refused}} unanswered=${report.unanswered} ` +
      `applied-unaccepted=${report.appliedUnaccepted} unpublished=${report.unpublished} unprojected=${report.unprojected} ` +
      `dlq={${dlq}} drain=${report.drainMs}ms`,
  );
}

/** Succeeded commands so far: taken before the load, so the audit can tell the load's own apart. */
export async function succeededCommands(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from messaging.command_status where status = 'succeeded'`,
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}
