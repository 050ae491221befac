import { sql } from 'drizzle-orm';
import type { CommandResult } from '../../shared/application/command-bus.js';
import type { Database } from '../db/database.js';
import type { BacklogSample } from './admission-control.js';
import { commandFinished, ProgressNotices } from './progress-notices.js';

export type CommandState = 'pending' | 'succeeded' | 'failed';

export interface CommandError {
  readonly code: string;
  readonly message: string;
  readonly errors?: readonly { field: string; message: string }[];
}

export interface CommandStatus {
  readonly commandId: string;
  readonly type: string;
  readonly status: CommandState;
  readonly resourceId: string | null;
  readonly resultVersion: number | null;
  readonly error: CommandError | null;
  readonly caller: string;
  readonly correlationId: string;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}

interface Row {
  command_id: string;
  type: string;
  status: CommandState;
  resource_id: string | null;
  result_version: number | null;
  error: CommandError | null;
  caller: string;
  correlation_id: string;
  created_at: string | Date;
  completed_at: string | Date | null;
}

interface Succeeded {
  readonly commandId: string;
  readonly type: string;
  readonly result: CommandResult;
  readonly correlationId: string;
}

/** `messaging.command_status`: what became of each accepted command. */
export class CommandStatusStore {
  constructor(
    private readonly database: Database,
    /** What ends a wait's pauses early when the database says the command finished. */
    private readonly notices: ProgressNotices = new ProgressNotices(),
  ) {}

  async insertPending(status: {
    commandId: string;
    type: string;
    resourceId: string | null;
    caller: string;
    correlationId: string;
  }): Promise<void> {
    await this.database.query(sql`
      insert into messaging.command_status (command_id, type, status, resource_id, caller, correlation_id)
      values (${status.commandId}, ${status.type}, 'pending', ${status.resourceId}, ${status.caller},
              ${status.correlationId})
      on conflict (command_id) do update
        set caller = excluded.caller,
            resource_id = coalesce(messaging.command_status.resource_id, excluded.resource_id)`);
  }

  async remove(commandId: string): Promise<void> {
    await this.database.query(sql`
      delete from messaging.command_status where command_id = ${commandId} and status = 'pending'`);
  }

  /** Upserts, because with a broker the status row may commit after the worker finished. */
  async succeed(commandId: string, type: string, result: CommandResult, correlationId: string): Promise<void> {
    await this.writeSucceeded([{ commandId, type, result, correlationId }]);
  }

  /**
   * `succeed`, written when the surrounding transaction commits, in one statement with the other
   * commands that share it (group commit): one upsert per batch instead of one per command.
   */
  async succeedAtCommit(commandId: string, type: string, result: CommandResult, correlationId: string): Promise<void> {
    if (!this.database.inTransaction) return this.succeed(commandId, type, result, correlationId);
    const tx = this.database.executor();
    const rows = this.succeeded.get(tx) ?? [];
    this.succeeded.set(tx, rows);
    rows.push({ commandId, type, result, correlationId });
    await this.database.atCommit('command-status:succeeded', () => this.writeSucceeded(rows));
  }

  private readonly succeeded = new WeakMap<object, Succeeded[]>();

  private async writeSucceeded(rows: readonly Succeeded[]): Promise<void> {
    const values = rows.map(
      (r) => sql`(${r.commandId}, ${r.type}, 'succeeded', ${r.result.resourceId}, ${r.result.version}, 'unknown',
                  ${r.correlationId}, now())`,
    );
    await this.database.query(sql`
      insert into messaging.command_status
        (command_id, type, status, resource_id, result_version, caller, correlation_id, completed_at)
      values ${sql.join(values, sql`, `)}
      on conflict (command_id) do update
        set status = 'succeeded', resource_id = excluded.resource_id,
            result_version = excluded.result_version, completed_at = now()`);
  }

  async fail(commandId: string, type: string, error: CommandError, correlationId: string): Promise<void> {
    await this.database.query(sql`
      insert into messaging.command_status
        (command_id, type, status, error, caller, correlation_id, completed_at)
      values (${commandId}, ${type}, 'failed', ${JSON.stringify(error)}::jsonb, 'unknown', ${correlationId}, now())
      on conflict (command_id) do update
        set status = 'failed', error = excluded.error, completed_at = now()`);
  }

  /**
   * Commands accepted but not finished (accepted within `horizonSeconds`: one parked in a dead-letter
   * queue for longer is no longer work ahead), how many finished in the last `windowSeconds`, and
   * how long those waited.
   */
  async backlog(windowSeconds: number, horizonSeconds: number): Promise<BacklogSample> {
    const result = await this.database.query<{ pending: number; finished: number; wait_seconds: number | null }>(sql`
      select
        (select count(*)::int from messaging.command_status
          where status = 'pending' and created_at > now() - make_interval(secs => ${horizonSeconds})) as pending,
        finished.count as finished, finished.wait as wait_seconds
      from (select count(*)::int as count,
                   (percentile_cont(0.9) within group
                     (order by extract(epoch from completed_at - created_at)))::float8 as wait
              from messaging.command_status
             where completed_at > now() - make_interval(secs => ${windowSeconds})) as finished`);
    const row = result.rows[0];
    return row
      ? { pending: row.pending, finished: row.finished, waitSeconds: Number(row.wait_seconds ?? 0) }
      : { pending: 0, finished: 0 };
  }

  /** The command once it succeeded or failed; null if it is still pending at the deadline (epoch ms). */
  waitUntilFinished(commandId: string, deadline: number): Promise<CommandStatus | null> {
    return this.notices.waitFor(commandFinished(commandId), deadline, async () => {
      const found = await this.find(commandId);
      return found && found.status !== 'pending' ? found : null;
    });
  }

  async find(commandId: string): Promise<CommandStatus | null> {
    const result = await this.database.query<Row>(sql`
      select * from messaging.command_status where command_id = ${commandId}`);
    const row = result.rows[0];
    return row ? toStatus(row) : null;
  }
}

function toStatus(row: Row): CommandStatus {
  return {
    commandId: row.command_id,
    type: row.type,
    status: row.status,
    resourceId: row.resource_id,
    resultVersion: row.result_version,
    error: row.error,
    caller: row.caller,
    correlationId: row.correlation_id,
    createdAt: new Date(row.created_at),
    completedAt: row.completed_at === null ? null : new Date(row.completed_at),
  };
}
