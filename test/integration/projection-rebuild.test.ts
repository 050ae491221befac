import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  USER_VIEWS_PROJECTION,
  UserViewsProjector,
} from '../../src/contexts/users/infrastructure/projection/user-views.projector.js';
import type { EventEnvelope } from '../../src/platform/messaging/event-envelope.js';
import { Inbox } from '../../src/platform/messaging/inbox.js';
import { rebuildProjection } from '../../src/platform/messaging/projection-rebuild.js';
import { ENGINE_NAMES, openEngine, type EngineKind, type TestEngine } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';

const postgresUp = await postgresAvailable();
const VIEW = sql`select id, email, username, first_name, last_name, roles, status, version, created_at, updated_at
                   from read.user_views order by id`;

/**
 * `portico projections rebuild` underneath: the read model rebuilt from the outbox alone equals
 * the one the live projector built (drift is repaired), replaces it under the live name with the
 * live index names, and moves the checkpoint; a second rebuild changes nothing.
 */
describe.each(['pglite', 'postgres'] as EngineKind[])('projection rebuild [%s]', (kind) => {
  const skip = kind === 'postgres' && !postgresUp;
  let engine: TestEngine;

  beforeAll(async () => {
    if (!skip) engine = await openEngine(kind);
  }, 60_000);
  afterAll(async () => {
    if (!skip) await engine.close();
  }, 60_000);

  it.skipIf(skip)(
    `rebuilds ${ENGINE_NAMES[kind]}'s user_views from the outbox and swaps it in`,
    async () => {
      const { database } = engine;
      const live = new UserViewsProjector(database, new Inbox(database));
      const append = async (event: EventEnvelope) => {
        await database.query(sql`
        insert into messaging.outbox (event_id, type, version, aggregate_id, aggregate_version, data, metadata, occurred_at)
        values (${randomUUID()}, ${event.type}, 1, ${event.aggregateId}, ${event.aggregateVersion},
                ${JSON.stringify(event.data)}::jsonb, '{}'::jsonb, ${event.occurredAt})`);
        await database.transaction(() => live.apply(event));
      };
      const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
      for (let i = 0; i < 6; i += 1) {
        const id = randomUUID();
        const base = { version: 1, aggregateId: id };
        await append({
          ...base,
          type: 'users.user.created',
          aggregateVersion: 1,
          occurredAt: at(i),
          data: { email: `u${i}@example.com`, username: `u${i}`, firstName: 'Ada', lastName: 'L', roles: ['user'] },
        });
        if (i % 2 === 0)
          await append({
            ...base,
            type: 'users.user.profile_updated',
            aggregateVersion: 2,
            occurredAt: at(10 + i),
            data: { firstName: `Name ${i}` },
          });
        if (i === 1)
          await append({ ...base, type: 'users.user.deactivated', aggregateVersion: 2, occurredAt: at(20), data: {} });
        if (i === 3)
          await append({ ...base, type: 'users.user.deleted', aggregateVersion: 2, occurredAt: at(21), data: {} });
      }
      // An event of another context is read but not applied.
      await database.query(sql`
      insert into messaging.outbox (event_id, type, version, aggregate_id, aggregate_version, data, metadata, occurred_at)
      values (${randomUUID()}, 'auth.login.succeeded', 1, ${randomUUID()}, 1, '{}'::jsonb, '{}'::jsonb, now())`);
      const expected = (await database.query(VIEW)).rows;
      await database.query(sql`update read.user_views set first_name = 'drifted'`);

      const progress: number[] = [];
      const report = await rebuildProjection({
        database,
        table: 'read.user_views',
        eventTypes: ['users.user.#'],
        projection: USER_VIEWS_PROJECTION,
        applierFor: (table) => (event) => new UserViewsProjector(database, new Inbox(database), table).apply(event),
        batchSize: 4,
        onProgress: (done) => progress.push(done),
      });
      expect(report).toEqual({ scanned: 12, applied: 11 });
      expect(progress.at(-1)).toBe(12);
      expect((await database.query(VIEW)).rows).toEqual(expected);
      const indexes = await database.query<{ indexname: string }>(
        sql`select indexname from pg_indexes where schemaname = 'read' and tablename = 'user_views' order by 1`,
      );
      expect(indexes.rows.map((r) => r.indexname)).toEqual([
        'user_views_email_idx',
        'user_views_pkey',
        'user_views_username_idx',
      ]);
      const triggers = await database.query<{ tgname: string }>(
        sql`select tgname from pg_trigger where tgrelid = 'read.user_views'::regclass and not tgisinternal`,
      );
      expect(triggers.rows.map((r) => r.tgname)).toEqual(kind === 'postgres' ? ['user_views_changed'] : []);
      const leftovers = await database.query(
        sql`select 1 from pg_tables where schemaname = 'read' and tablename like 'user_views_%'`,
      );
      expect(leftovers.rows).toEqual([]);
      const checkpoint = await database.query<{ position: number }>(
        sql`select position::int as position from messaging.projection_checkpoints where projection = ${USER_VIEWS_PROJECTION}`,
      );
      expect(checkpoint.rows[0]?.position).toBe(12);

      await rebuildProjection({
        database,
        table: 'read.user_views',
        eventTypes: ['users.user.#'],
        projection: USER_VIEWS_PROJECTION,
        applierFor: (table) => (event) => new UserViewsProjector(database, new Inbox(database), table).apply(event),
      });
      expect((await database.query(VIEW)).rows).toEqual(expected);
    },
    60_000,
  );
});
