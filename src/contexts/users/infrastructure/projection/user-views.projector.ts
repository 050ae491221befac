import { sql } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';
import { parseEvent, type EventEnvelope } from '../../../../platform/messaging/event-envelope.js';
import type { Inbox } from '../../../../platform/messaging/inbox.js';
import type { Delivery } from '../../../../platform/messaging/message.js';
import { RetrySoonError } from '../../../../platform/messaging/retry-policy.js';
import {
  UserEventTypes,
  type UserCreatedData,
  type UserEmailChangedData,
  type UserProfileUpdatedData,
} from '../../domain/user-events.js';

export const USER_VIEWS_PROJECTION = 'user-views';

export type ProjectionOutcome = 'applied' | 'duplicate' | 'stale';

/**
 * Builds `read.user_views` from user events. An event applies only on top of the version it
 * follows: an older one was already applied (skip), a newer one arrived early (retry soon). The
 * inbox claim and the checkpoint commit in the same transaction as the row.
 */
export class UserViewsProjector {
  constructor(
    private readonly database: Database,
    private readonly inbox: Inbox,
    private readonly table = 'read.user_views',
  ) {}

  async handle(delivery: Delivery): Promise<ProjectionOutcome> {
    const event = parseEvent(delivery);
    return this.database.transaction(async () => {
      if (!(await this.inbox.claim(`projection:${USER_VIEWS_PROJECTION}`, delivery.messageId))) return 'duplicate';
      const outcome = await this.apply(event);
      if (event.position !== null) await this.checkpointAtCommit(event.position);
      return outcome;
    });
  }

  /** Highest position applied in each open transaction: its checkpoint, written once at commit. */
  private readonly positions = new WeakMap<object, number>();

  private async checkpointAtCommit(position: number): Promise<void> {
    const tx = this.database.executor();
    const highest = Math.max(position, this.positions.get(tx) ?? position);
    this.positions.set(tx, highest);
    await this.database.atCommit(`checkpoint:${USER_VIEWS_PROJECTION}`, () => this.checkpoint(highest));
  }

  /**
   * Applies one event with the version rule; used by live consumption and by rebuilds. The usual
   * event, the one that follows the row's version, costs one statement: the update guarded by
   * that version. Only when it matches nothing is the version read (and the row locked) to tell why.
   */
  async apply(event: EventEnvelope): Promise<ProjectionOutcome> {
    const table = sql.raw(this.table);
    const created = event.type === UserEventTypes.created;
    if (!created && (await this.update(table, event, event.aggregateVersion - 1)) > 0) return 'applied';
    const found = await this.database.query<{ version: number }>(
      sql`select version from ${table} where id = ${event.aggregateId} for update`,
    );
    const current = found.rows[0]?.version ?? 0;
    if (event.aggregateVersion <= current) return 'stale';
    if (event.aggregateVersion > current + 1) {
      throw new RetrySoonError(
        `${event.type} v${event.aggregateVersion} of ${event.aggregateId} arrived before v${current + 1}`,
      );
    }
    if (created) await this.insertCreated(table, event);
    else await this.update(table, event, current);
    return 'applied';
  }

  /** Writes what the event changes where the row is at version `after`; returns the rows changed. */
  private async update(table: ReturnType<typeof sql.raw>, event: EventEnvelope, after: number): Promise<number> {
    const { aggregateId: id, aggregateVersion: version, occurredAt: at } = event;
    const row = sql`where id = ${id} and version = ${after}`;
    const run = async (statement: ReturnType<typeof sql>) => (await this.database.query(statement)).rowCount;
    switch (event.type) {
      case UserEventTypes.profileUpdated: {
        const d = event.data as UserProfileUpdatedData;
        return run(sql`
          update ${table}
             set first_name = coalesce(${d.firstName ?? null}, first_name),
                 last_name = coalesce(${d.lastName ?? null}, last_name),
                 username = coalesce(${d.username ?? null}, username),
                 version = ${version}, updated_at = ${at}
           ${row}`);
      }
      case UserEventTypes.deactivated:
      case UserEventTypes.activated: {
        const status = event.type === UserEventTypes.activated ? 'active' : 'deactivated';
        return run(sql`update ${table} set status = ${status}, version = ${version}, updated_at = ${at} ${row}`);
      }
      case UserEventTypes.emailVerified:
        return run(sql`update ${table} set email_verified = true, version = ${version}, updated_at = ${at} ${row}`);
      case UserEventTypes.emailChanged: {
        // Missing when the user was erased before this event was projected.
        const email = (event.data as Partial<UserEmailChangedData>).email ?? '';
        return run(sql`
          update ${table} set email = ${email}, email_verified = true, version = ${version}, updated_at = ${at} ${row}`);
      }
      case UserEventTypes.deleted:
        return run(sql`
          update ${table}
             set status = 'deleted', email = '', username = '', first_name = '', last_name = '',
                 version = ${version}, updated_at = ${at}
           ${row}`);
      default:
        // An event this view does not show still advances the version, or later events would wait forever.
        return run(sql`update ${table} set version = ${version} ${row}`);
    }
  }

  private async insertCreated(table: ReturnType<typeof sql.raw>, event: EventEnvelope): Promise<void> {
    const { aggregateId: id, aggregateVersion: version, occurredAt: at } = event;
    // Fields are missing when the user was erased before this event was projected; accounts
    // created before verification existed carry no `emailVerified` and count as verified.
    const d = event.data as Partial<UserCreatedData>;
    await this.database.query(sql`
      insert into ${table} (id, email, username, first_name, last_name, roles, status, email_verified, locale,
                            version, created_at, updated_at)
      values (${id}, ${d.email ?? ''}, ${d.username ?? ''}, ${d.firstName ?? ''}, ${d.lastName ?? ''},
              ${toTextArray(d.roles ?? ['user'])}::text[], 'active', ${d.emailVerified ?? true}, ${d.locale ?? 'en'},
              ${version}, ${at}, ${at})`);
  }

  private async checkpoint(position: number): Promise<void> {
    await this.database.query(sql`
      insert into messaging.projection_checkpoints (projection, position, updated_at)
      values (${USER_VIEWS_PROJECTION}, ${position}, now())
      on conflict (projection) do update
        set position = greatest(messaging.projection_checkpoints.position, excluded.position), updated_at = now()`);
  }
}

function toTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
