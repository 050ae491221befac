import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresUserRepository } from '../../src/contexts/users/infrastructure/persistence/postgres-user-repository.js';
import { PostgresUsersUnitOfWork } from '../../src/contexts/users/infrastructure/persistence/postgres-users-unit-of-work.js';
import { PostgresEventOutbox } from '../../src/platform/messaging/postgres-event-outbox.js';
import { UserMother } from '../mothers/user.mother.js';
import { ENGINE_NAMES, openEngine, type EngineKind, type TestEngine } from '../support/engines.js';
import { SequentialIds } from '../support/in-memory/fixed-clock.js';
import { InMemoryUsersUnitOfWork } from '../support/in-memory/in-memory-users-unit-of-work.js';
import { postgresAvailable } from '../support/postgres.js';
import { describeUserRepositoryContract, type UserRepositoryHarness } from './user-repository.contract.js';

const postgres = await postgresAvailable();

describeUserRepositoryContract('InMemoryUserRepository', async () => {
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
    close: async () => undefined,
  };
});

async function sqlHarness(kind: EngineKind): Promise<UserRepositoryHarness> {
  const engine = await openEngine(kind);
  const { database } = engine;
  const row = async (id: string, columns: ReturnType<typeof sql>) =>
    (await database.query(sql`select ${columns} from users.users where id = ${id}`)).rows[0] ?? null;
  return {
    uow: new PostgresUsersUnitOfWork(database, new PostgresEventOutbox(database, new SequentialIds())),
    storedRow: (id) => row(id, sql`*`),
    // A new row version (any update) gets a new xmin; reading or locking the row does not.
    writeStamp: async (id) => ((await row(id, sql`xmin::text as stamp`)) as { stamp: string } | null)?.stamp,
    outboxEvents: async (id) =>
      (
        await database.query<{ type: string; aggregateVersion: number }>(sql`
          select type, aggregate_version as "aggregateVersion" from messaging.outbox
           where aggregate_id = ${id} order by position`)
      ).rows,
    close: () => engine.close(),
  };
}

describeUserRepositoryContract('PostgresUserRepository on PGlite', () => sqlHarness('pglite'));
describeUserRepositoryContract('PostgresUserRepository on PostgreSQL', () => sqlHarness('postgres'), {
  skip: !postgres,
});

// Beyond the port: the SQL adapter also scrubs the user's past events, so an outbox replay
// (projection rebuild) cannot bring the personal data back.
for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgres)(`PostgresUserRepository.erase on ${ENGINE_NAMES[kind]}`, () => {
    let engine: TestEngine;
    beforeAll(async () => {
      engine = await openEngine(kind);
    });
    afterAll(async () => {
      await engine?.close();
    });

    it('scrubs the personal data from the user’s events in the outbox, and only from theirs', async () => {
      const { database } = engine;
      const users = new PostgresUserRepository(database);
      const outbox = new PostgresEventOutbox(database, new SequentialIds());
      const erased = UserMother.registered({ firstName: 'Hedwig', lastName: 'Kiesler' });
      const kept = UserMother.registered({ firstName: 'Hedy', lastName: 'Lamarr' });
      for (const user of [erased, kept]) {
        await database.transaction(async () => {
          await users.insert(user);
          await outbox.append(user.pullEvents());
        });
      }

      await database.transaction(async () => {
        const user = (await users.findById(erased.id))!;
        user.delete(new Date('2026-03-01T00:00:00Z'));
        await users.erase(user);
        await outbox.append(user.pullEvents());
      });

      const rows = await database.query<{ aggregate_id: string; type: string; data: Record<string, unknown> }>(
        sql`select aggregate_id, type, data from messaging.outbox order by position`,
      );
      const erasedEvents = rows.rows.filter((r) => r.aggregate_id === erased.id);
      expect(erasedEvents.map((r) => r.type)).toEqual(['users.user.created', 'users.user.deleted']);
      const text = JSON.stringify(erasedEvents);
      for (const value of [erased.email, erased.username, 'Hedwig', 'Kiesler']) expect(text).not.toContain(value);
      const keptCreated = rows.rows.find((r) => r.aggregate_id === kept.id)!;
      expect(keptCreated.data).toMatchObject({ email: kept.email, firstName: 'Hedy', lastName: 'Lamarr' });
    });
  });
}
