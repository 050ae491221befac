import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTable, PgTransaction, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { namingClient, StatementNames } from './named-statements.js';
import { namedInTransactions } from './pglite-named-statements.js';
import { openPglite } from './pglite-open.js';
// No relational schema is registered: every query names its table (each context owns its tables),
// so the platform never needs to know them.
export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = PgTransaction<PgQueryResultHKT>;
/** Either the database or the transaction the caller is inside: queries take whichever applies. */
export type Executor = Db | Tx;

export type DatabaseKind = 'postgres' | 'pglite';

/** LISTEN on `channel` within this process; resolves to the UNLISTEN. */
export type InProcessListen = (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;

export interface DatabaseOptions {
  /** PostgreSQL connections (pg only). */
  readonly poolSize?: number;
  /** Wraps the driver client drizzle talks to, e.g. to trace every statement. */
  readonly wrapClient?: <C extends object>(client: C) => C;
  /** Statements are prepared once and run by name (default); false behind a pooler that cannot keep them. */
  readonly namedStatements?: boolean;
}

/**
 * One handle for both engines. Work that must be atomic runs in `transaction`; code deeper down
 * (repositories, the outbox, the inbox) asks for `executor()` and so joins the surrounding
 * transaction without it being threaded through every signature.
 */
export class Database {
  private readonly ambient = new AsyncLocalStorage<Tx>();

  private constructor(
    readonly kind: DatabaseKind,
    readonly db: Db,
    private readonly closeClient: () => Promise<void>,
    readonly pool: pg.Pool | null,
  ) {}

  static postgres(url: string, options: DatabaseOptions = {}): Database {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      ...(options.namedStatements !== false && { Client: namingClient(new StatementNames()) }),
    });
    // A dropped connection must not crash the process: the query in flight fails (and is retried
    // or answered 503), and the pool opens a new connection. Idle and checked-out clients both emit.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const client = options.wrapClient ? options.wrapClient(pool) : pool;
    return new Database('postgres', drizzlePg({ client }) as unknown as Db, () => pool.end(), pool);
  }

  /** File-backed under `dataDir`, or in memory when it is null (tests). */
  static async pglite(dataDir: string | null, options: DatabaseOptions = {}): Promise<Database> {
    const { client, close } = await openPglite(dataDir);
    const named = options.namedStatements === false ? client : namedInTransactions(client, new StatementNames());
    const busy = countBusy(named);
    const wrapped = options.wrapClient ? options.wrapClient(busy.client) : busy.client;
    const database = new Database('pglite', drizzlePglite({ client: wrapped }) as unknown as Db, close, null);
    database.inUse = () => (busy.count() > 0 ? 1 : 0);
    database.listenInProcess = async (channel, onPayload) => client.listen(channel, onPayload);
    return database;
  }

  /** Connections checked out right now: the pool's busy ones, or PGlite's one while it works. */
  connectionsInUse(): number {
    return this.pool ? this.pool.totalCount - this.pool.idleCount : this.inUse();
  }

  private inUse: () => number = () => 0;

  private listenInProcess: InProcessListen | null = null;

  /**
   * PGlite's NOTIFY, heard in this process (the only one that can open its data directory); null
   * on PostgreSQL, where a listener needs a connection of its own (PgNotificationListener).
   */
  get notifications(): InProcessListen | null {
    return this.listenInProcess;
  }

  executor(): Executor {
    return this.ambient.getStore() ?? this.db;
  }

  get inTransaction(): boolean {
    return this.ambient.getStore() !== undefined;
  }

  /** Runs `work` in a transaction, or inside the caller's one when there already is one. */
  transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
    const current = this.ambient.getStore();
    if (current) return work(current);
    return this.db.transaction((tx) =>
      this.ambient.run(tx as Tx, async () => {
        const result = await work(tx as Tx);
        await this.runCommitHooks(tx as Tx);
        return result;
      }),
    );
  }

  /**
   * Runs `hook` once, last, in the current transaction (at once without one); a later hook with
   * the same key replaces it. Work that many units sharing a transaction would each repeat (a
   * projection's checkpoint) is written once, and its row lock is held only until the commit.
   */
  async atCommit(key: string, hook: () => Promise<void>): Promise<void> {
    const tx = this.ambient.getStore();
    if (!tx) return hook();
    const hooks = this.commitHooks.get(tx) ?? new Map<string, () => Promise<void>>();
    this.commitHooks.set(tx, hooks);
    hooks.set(key, hook);
  }

  private readonly commitHooks = new WeakMap<Tx, Map<string, () => Promise<void>>>();

  private async runCommitHooks(tx: Tx): Promise<void> {
    const hooks = this.commitHooks.get(tx);
    this.commitHooks.delete(tx);
    for (const hook of hooks?.values() ?? []) await hook();
  }

  /**
   * Runs `work` inside `tx`, a transaction the caller holds open, from any async context (group
   * commit runs each unit in its own caller's context, which knows nothing of the shared one).
   */
  within<T>(tx: Executor, work: () => Promise<T>): Promise<T> {
    return this.ambient.run(tx as Tx, work);
  }

  /** Runs `work` outside any surrounding transaction (its own statements autocommit). */
  detached<T>(work: () => Promise<T>): Promise<T> {
    return this.ambient.exit(work);
  }

  /**
   * Runs raw SQL on the current executor. The two drivers report results differently (pg:
   * `rowCount`, PGlite: `affectedRows`); this gives both one shape.
   */
  async query<T = Record<string, unknown>>(statement: SQL): Promise<{ rows: T[]; rowCount: number }> {
    const result = (await this.executor().execute(statement)) as {
      rows: T[];
      rowCount?: number | null;
      affectedRows?: number;
    };
    return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
  }

  /** How many rows a DELETE removed (a spend, a removal): the answer many repositories give. */
  async deleted(table: PgTable, where: SQL | undefined): Promise<number> {
    const rows = await this.executor()
      .delete(table)
      .where(where)
      .returning({ row: sql`1` });
    return rows.length;
  }

  /** How many rows an UPDATE changed; a conditional one (`used_at IS NULL`) so spends a row once. */
  async updated<T extends PgTable>(table: T, values: PgUpdateSetSource<T>, where: SQL | undefined): Promise<number> {
    const rows = await this.executor()
      .update(table)
      .set(values)
      .where(where)
      .returning({ row: sql`1` });
    return rows.length;
  }

  async ping(): Promise<void> {
    await this.db.execute('select 1');
  }

  close(): Promise<void> {
    return this.closeClient();
  }
}

/** Counts PGlite's calls in flight (its one connection is "in use" while any runs). */
function countBusy(client: PGlite): { client: PGlite; count: () => number } {
  let active = 0;
  const counted = new Set(['query', 'exec', 'transaction']);
  const proxy = new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !counted.has(String(property))) return value;
      return (...args: unknown[]) => {
        active += 1;
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).finally(() => {
          active -= 1;
        });
      };
    },
  });
  return { client: proxy, count: () => active };
}

/** Unwraps drizzle's query wrapper to the driver error, whose `code` is the SQLSTATE. */
export function sqlState(error: unknown): { code?: string; constraint?: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current; depth += 1) {
    const candidate = current as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        ...(typeof candidate.constraint === 'string' && { constraint: candidate.constraint }),
      };
    }
    current = candidate.cause;
  }
  return {};
}

export const UNIQUE_VIOLATION = '23505';

const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether an error means "the database cannot be reached right now" (connection refused or
 * lost, server shutting down, too many connections) rather than a bug: the caller answers 503.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    if (UNAVAILABLE_ERRNO.has(code)) return true;
    // SQLSTATE classes 08 (connection), 53 (resources), 57P (operator intervention).
    if (/^(08|53|57P)/.test(code) || code === '55000' || code === '3D000') return true;
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    if (
      /Connection terminated|timeout exceeded when trying to connect|not accepting connections|Client has encountered a connection error/i.test(
        message,
      )
    ) {
      return true;
    }
    current = candidate.cause;
  }
  return false;
}
