import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { PostgresUsersUnitOfWork } from '../../src/contexts/users/infrastructure/persistence/postgres-users-unit-of-work.js';
import { PostgresEventOutbox } from '../../src/platform/messaging/postgres-event-outbox.js';
import { UserMother } from '../mothers/user.mother.js';
import { describeContract, describeOnEngines, onDatabases } from '../support/contract.js';
import type { TestEngine } from '../support/engines.js';
import { SequentialIds } from '../support/in-memory/fixed-clock.js';
import { InMemoryUsersUnitOfWork } from '../support/in-memory/in-memory-users-unit-of-work.js';
import { userRepositoryContract, type UserRepositoryHarness } from './user-repository.contract.js';

function inMemoryHarness(): UserRepositoryHarness {
  const uow = new InMemoryUsersUnitOfWork();
  return {
    uow,
    storedRow: async (id) => uow.users.rows.get(id) ?? null,
    // Every write stores a new snapshot object.
    writeStamp: async (id) => uow.users.rows.get(id),
    outboxEvents: async (id) =>
      uow.outbox.events
        .filter((e) => e.aggregateId === id)
        .map((e) => ({ type: e.type, aggregateVersion: e.aggregateVersion })),
  };
}

const sqlUnitOfWork = ({ database }: TestEngine): PostgresUsersUnitOfWork =>
  new PostgresUsersUnitOfWork(database, new PostgresEventOutbox(database, new SequentialIds()));

function sqlHarness(engine: TestEngine): UserRepositoryHarness {
  const { database } = engine;
  const row = async (id: string, columns: ReturnType<typeof sql>) =>
    (await database.query(sql`select ${columns} from users.users where id = ${id}`)).rows[0] ?? null;
  return {
    uow: sqlUnitOfWork(engine),
    storedRow: (id) => row(id, sql`*`),
    // A new row version (any update) gets a new xmin; reading or locking the row does not.
    writeStamp: async (id) => ((await row(id, sql`xmin::text as stamp`)) as { stamp: string } | null)?.stamp,
    outboxEvents: async (id) =>
      (
        await database.query<{ type: string; aggregateVersion: number }>(sql`
          select type, aggregate_version as "aggregateVersion" from messaging.outbox
           where aggregate_id = ${id} order by position`)
      ).rows,
  };
}

describeContract(
  'UserRepository',
  { 'in-memory': inMemoryHarness, pglite: sqlHarness, postgres: sqlHarness },
  userRepositoryContract,
);

// Beyond the port: the SQL adapter also scrubs the user's past events, so an outbox replay
// (projection rebuild) cannot bring the personal data back.
describeOnEngines(
  'PostgresUserRepository.erase',
  onDatabases((engine) => ({ database: engine.database, uow: sqlUnitOfWork(engine) })),
  (t) => {
    it('scrubs the personal data from the user’s events in the outbox, and only from theirs', async () => {
      const erased = UserMother.registered({ firstName: 'Hedwig', lastName: 'Kiesler' });
      const kept = UserMother.registered({ firstName: 'Hedy', lastName: 'Lamarr' });
      for (const user of [erased, kept]) {
        await t.uow.run(async ({ users, outbox }) => {
          await users.insert(user);
          await outbox.append(user.pullEvents());
        });
      }

      await t.uow.erase(erased.id, (user) => user.delete(new Date('2026-03-01T00:00:00Z')));

      const rows = await t.database.query<{ aggregate_id: string; type: string; data: Record<string, unknown> }>(
        sql`select aggregate_id, type, data from messaging.outbox order by position`,
      );
      const erasedEvents = rows.rows.filter((r) => r.aggregate_id === erased.id);
      expect(erasedEvents.map((r) => r.type)).toEqual(['users.user.created', 'users.user.deleted']);
      const text = JSON.stringify(erasedEvents);
      for (const value of [erased.email, erased.username, 'Hedwig', 'Kiesler']) expect(text).not.toContain(value);
      const keptCreated = rows.rows.find((r) => r.aggregate_id === kept.id)!;
      expect(keptCreated.data).toMatchObject({ email: kept.email, firstName: 'Hedy', lastName: 'Lamarr' });
    });
  },
);
