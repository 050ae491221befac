import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { EventEnvelope } from './event-envelope.js';
import { envelopeOf, type EnvelopeColumns, type OutboxRow } from './outbox-row.js';

/** What a rebuild reads of each outbox row. */
type StoredEvent = EnvelopeColumns & Pick<OutboxRow, 'position'>;
import { RetrySoonError } from './retry-policy.js';
import { topicMatches } from './topology.js';

export interface ProjectionRebuildOptions {
  readonly database: Database;
  /** The live table, `schema.table`; the rebuild goes to `schema.table_rebuild` next to it. */
  readonly table: string;
  /** Topic patterns of the events this projection reads (as its queue's bindings). */
  readonly eventTypes: readonly string[];
  /** Name of its row in `messaging.projection_checkpoints`. */
  readonly projection: string;
  /** Applies one event to the given table, with the projection's version rule. */
  readonly applierFor: (table: string) => (event: EventEnvelope) => Promise<unknown>;
  readonly batchSize?: number;
  /** Called after every batch: outbox rows read so far, and how many there were at the start. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ProjectionRebuildReport {
  /** Outbox rows read, of every type. */
  readonly scanned: number;
  /** Events of this projection's types that changed the new table. */
  readonly applied: number;
}

/**
 * Rebuilds a projection from the outbox (events are kept after publishing) into a fresh table and
 * swaps it in, while the live projector keeps running.
 *
 * The outbox is read by position, but a transaction can commit a smaller position after the scan
 * went past it. Any such row belongs to a transaction that was not finished when the scan began,
 * so its `tx_id` is at least the `pg_snapshot_xmin` taken then. After the scan, every visible row
 * from that id on is applied again (the version rule skips what is there), once freely and once
 * more inside the swap transaction, which locks the live table first: from that moment the live
 * projector cannot get ahead of the new table, and whatever it has not applied yet arrives
 * through its queue after the swap and applies on top.
 */
export async function rebuildProjection(options: ProjectionRebuildOptions): Promise<ProjectionRebuildReport> {
  const { database } = options;
  const [schema, live] = splitName(options.table);
  const rebuild = `${live}_rebuild`;
  const liveTable = sql.raw(`"${schema}"."${live}"`);
  const rebuildTable = sql.raw(`"${schema}"."${rebuild}"`);
  const apply = options.applierFor(`"${schema}"."${rebuild}"`);
  const batchSize = options.batchSize ?? 500;
  const wanted = (type: string) => options.eventTypes.some((pattern) => topicMatches(pattern, type));
  let scanned = 0;
  let applied = 0;
  let lastPosition = 0;

  const applyRows = async (rows: readonly StoredEvent[], tolerateGaps: boolean) => {
    for (const row of rows) {
      lastPosition = Math.max(lastPosition, Number(row.position));
      if (!wanted(row.type)) continue;
      try {
        if ((await apply(envelopeOf(row))) === 'applied') applied += 1;
      } catch (error) {
        // A gap means an earlier version is still uncommitted; the catch-up passes apply both.
        if (!(tolerateGaps && error instanceof RetrySoonError)) throw error;
      }
    }
  };
  const catchUp = (fromXmin: string, tolerateGaps: boolean) =>
    readAll(database, sql`tx_id >= ${fromXmin}::xid8`, batchSize, (rows) => applyRows(rows, tolerateGaps));

  const scanXmin = await currentXmin(database);
  const total = Number(
    (await database.query<{ n: number }>(sql`select count(*)::int as n from messaging.outbox`)).rows[0]?.n ?? 0,
  );
  await database.query(sql`drop table if exists ${rebuildTable}`);
  await database.query(sql`create table ${rebuildTable} (like ${liveTable} including all)`);
  await readAll(database, sql`true`, batchSize, async (rows) => {
    await database.transaction(() => applyRows(rows, true));
    scanned += rows.length;
    options.onProgress?.(Math.min(scanned, total), total);
  });

  const catchUpXmin = await currentXmin(database);
  await database.transaction(() => catchUp(scanXmin, true));
  await database.transaction(async () => {
    await database.query(sql`lock table ${liveTable} in exclusive mode`);
    await catchUp(catchUpXmin, false);
    const triggers = await triggerDefinitions(database, `"${schema}"."${live}"`);
    await database.query(sql`drop table ${liveTable}`);
    await database.query(sql`alter table ${rebuildTable} rename to ${sql.raw(`"${live}"`)}`);
    await restoreIndexNames(database, schema, live, rebuild);
    for (const definition of triggers) await database.query(sql.raw(definition));
    await database.query(sql`
      insert into messaging.projection_checkpoints (projection, position, updated_at)
      values (${options.projection}, ${lastPosition}, now())
      on conflict (projection) do update
        set position = greatest(messaging.projection_checkpoints.position, excluded.position), updated_at = now()`);
  });
  options.onProgress?.(total, total);
  return { scanned, applied };
}

/** `like … including all` named the copies after the new table; the live names come back, so later migrations find them. */
async function restoreIndexNames(database: Database, schema: string, live: string, rebuild: string): Promise<void> {
  const indexes = await database.query<{ indexname: string }>(sql`
    select indexname from pg_indexes where schemaname = ${schema} and tablename = ${live}`);
  for (const { indexname } of indexes.rows) {
    if (!indexname.startsWith(rebuild)) continue;
    const renamed = `${live}${indexname.slice(rebuild.length)}`;
    await database.query(sql.raw(`alter index "${schema}"."${indexname}" rename to "${renamed}"`));
  }
}

/**
 * `like … including all` copies no trigger (a view's change notice, migration 0012): their
 * definitions name the live table, so they are read before the swap and run again after it.
 */
async function triggerDefinitions(database: Database, table: string): Promise<string[]> {
  const result = await database.query<{ definition: string }>(sql`
    select pg_get_triggerdef(oid) as definition from pg_trigger where tgrelid = ${table}::regclass and not tgisinternal`);
  return result.rows.map((row) => row.definition);
}

async function currentXmin(database: Database): Promise<string> {
  const result = await database.query<{ xmin: string }>(
    sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`,
  );
  return result.rows[0]!.xmin;
}

/** Keyset pages by position, each page handed over before the next is read. */
async function readAll(
  database: Database,
  where: SQL,
  batchSize: number,
  each: (rows: StoredEvent[]) => Promise<void>,
): Promise<void> {
  let after = 0;
  for (;;) {
    const { rows } = await database.query<StoredEvent>(sql`
      select position, type, version, aggregate_id, aggregate_version, data, occurred_at
        from messaging.outbox
       where position > ${after} and ${where}
       order by position
       limit ${batchSize}`);
    if (rows.length === 0) return;
    await each(rows);
    after = Number(rows.at(-1)!.position);
  }
}

function splitName(table: string): [string, string] {
  const match = /^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)$/.exec(table);
  if (!match) throw new Error(`expected schema.table, got ${table}`);
  return [match[1]!, match[2]!];
}
