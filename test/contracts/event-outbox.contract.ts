import { sql } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import type { DomainEvent } from '../../src/shared/domain/domain-event.js';
import { messageContext } from '../../src/platform/messaging/message-context.js';
import type { OutboxRow } from '../../src/platform/messaging/outbox-row.js';
import { PostgresEventOutbox } from '../../src/platform/messaging/postgres-event-outbox.js';
import { SequentialIds } from '../support/in-memory/fixed-clock.js';
import { inRolledBackTransaction } from '../support/roll-back.js';

/** An outbox row with the columns only the relay reads. */
interface StoredRow extends Omit<OutboxRow, 'position'> {
  position: number;
  tx_id: string;
  published_at: string | null;
}

const AGGREGATE = '0190a5b4-0000-7000-8000-0000000000aa';
const OTHER_AGGREGATE = '0190a5b4-0000-7000-8000-0000000000bb';

export function event(aggregateVersion: number, overrides: Partial<DomainEvent> = {}): DomainEvent {
  return {
    type: 'users.user.profile_updated',
    version: 1,
    occurredAt: new Date(Date.UTC(2026, 0, 2, 3, 4, aggregateVersion, 678)),
    aggregateId: AGGREGATE,
    aggregateVersion,
    data: { firstName: `Name ${aggregateVersion}`, nested: { list: [1, null, 'ü'] } },
    ...overrides,
  };
}

/** The adapter is built per test (see `beforeEach`): only the database is shared. */
export interface EventOutboxSubject {
  readonly database: Database;
}

export function eventOutboxContract(t: EventOutboxSubject): void {
  let outbox: PostgresEventOutbox;
  beforeEach(async () => {
    await t.database.query(sql`delete from messaging.outbox`);
    // Event ids restart per test: the table is empty, and ids are predictable in assertions.
    outbox = new PostgresEventOutbox(t.database, new SequentialIds());
  });

  const rows = async (): Promise<StoredRow[]> =>
    (
      await t.database.query<StoredRow>(sql`
        select position::int as position, event_id, type, version, aggregate_id, aggregate_version, data,
               metadata, to_json(occurred_at)#>>'{}' as occurred_at, tx_id::text as tx_id,
               published_at::text as published_at
          from messaging.outbox order by position`)
    ).rows;

  it('refuses to append outside a transaction, and stores nothing', async () => {
    await expect(outbox.append([event(1)])).rejects.toThrow(/inside a transaction/);

    expect(await rows()).toEqual([]);
  });

  it('treats appending no events as nothing to do, even outside a transaction', async () => {
    await expect(outbox.append([])).resolves.toBeUndefined();
  });

  it('stores each event as an unpublished row, in append order, with an id of its own', async () => {
    const events = [
      event(1),
      event(2, { type: 'users.user.deactivated', data: {} }),
      event(1, { aggregateId: OTHER_AGGREGATE }),
    ];

    await t.database.transaction(() => outbox.append(events));

    const stored = await rows();
    expect(stored).toHaveLength(3);
    expect(stored.map((r) => r.event_id)).toEqual([
      '00000000-0000-7000-8000-000000000001',
      '00000000-0000-7000-8000-000000000002',
      '00000000-0000-7000-8000-000000000003',
    ]);
    stored.forEach((row, i) => {
      const e = events[i]!;
      expect(row).toMatchObject({
        type: e.type,
        version: e.version,
        aggregate_id: e.aggregateId,
        aggregate_version: e.aggregateVersion,
        data: e.data,
        published_at: null,
      });
      expect(new Date(row.occurred_at).toISOString()).toBe(e.occurredAt.toISOString());
    });
    const positions = stored.map((r) => r.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('stamps the rows with their transaction id, which later transactions exceed', async () => {
    const current = await t.database.transaction(async () => {
      await outbox.append([event(1), event(2)]);
      return (await t.database.query<{ id: string }>(sql`select pg_current_xact_id()::text as id`)).rows[0]!.id;
    });
    await t.database.transaction(() => outbox.append([event(3)]));

    const [first, second, third] = await rows();
    expect(first!.tx_id).toBe(current);
    expect(second!.tx_id).toBe(current);
    expect(BigInt(third!.tx_id)).toBeGreaterThan(BigInt(current));
    expect(third!.position).toBeGreaterThan(second!.position);
  });

  it('records the correlation, causation and trace of the work that appended the events', async () => {
    await messageContext.run(
      {
        correlationId: 'corr-1',
        causationId: 'command-1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
      () => t.database.transaction(() => outbox.append([event(1), event(2)])),
    );
    await messageContext.run({ correlationId: 'corr-2', causationId: 'command-2' }, () =>
      t.database.transaction(() => outbox.append([event(3)])),
    );
    await t.database.transaction(() => outbox.append([event(4)]));

    expect((await rows()).map((r) => r.metadata)).toEqual([
      {
        correlationId: 'corr-1',
        causationId: 'command-1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
      {
        correlationId: 'corr-1',
        causationId: 'command-1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
      { correlationId: 'corr-2', causationId: 'command-2' },
      {},
    ]);
  });

  it('keeps nothing of a transaction that rolled back', async () => {
    await inRolledBackTransaction(t.database, () => outbox.append([event(1)]));

    expect(await rows()).toEqual([]);
  });

  it('runs the bound reaction for each event inside the appending transaction: a rollback undoes both', async () => {
    const reactedInTransaction: boolean[] = [];
    outbox.reactWith(async (e) => {
      reactedInTransaction.push(t.database.inTransaction);
      await t.database.query(sql`insert into messaging.outbox_reaction_probe values (${e.aggregateVersion})`);
    });
    await t.database.query(sql`create table if not exists messaging.outbox_reaction_probe (n int)`);
    await t.database.query(sql`delete from messaging.outbox_reaction_probe`);
    const probe = async () =>
      (await t.database.query<{ n: number }>(sql`select n from messaging.outbox_reaction_probe order by n`)).rows.map(
        (r) => r.n,
      );

    await t.database.transaction(() => outbox.append([event(1), event(2)]));
    await inRolledBackTransaction(t.database, () => outbox.append([event(3)]));

    expect(reactedInTransaction).toEqual([true, true, true]);
    expect(await probe()).toEqual([1, 2]);
    expect((await rows()).map((r) => r.aggregate_version)).toEqual([1, 2]);
  });
}
