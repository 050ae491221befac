import { sql } from 'drizzle-orm';
import type { UserView } from '../../src/contexts/users/application/user-view.js';
import { UserEventTypes } from '../../src/contexts/users/domain/user-events.js';
import { PostgresUserViewReader } from '../../src/contexts/users/infrastructure/projection/postgres-user-view-reader.js';
import { UserViewsProjector } from '../../src/contexts/users/infrastructure/projection/user-views.projector.js';
import type { EventEnvelope } from '../../src/platform/messaging/event-envelope.js';
import { Inbox } from '../../src/platform/messaging/inbox.js';
import { describeContract } from '../support/contract.js';
import type { TestEngine } from '../support/engines.js';
import { InMemoryUserViewReader } from '../support/in-memory/in-memory-user-view-reader.js';
import { userViewReaderContract, type UserViewReaderHarness } from './user-view-reader.contract.js';

function inMemoryHarness(): UserViewReaderHarness {
  const reader = new InMemoryUserViewReader();
  return {
    reader,
    seed: async (...views) => {
      for (const v of views) reader.views.set(v.id, v);
    },
    erase: async (id) => {
      reader.views.delete(id);
    },
    reset: async () => reader.views.clear(),
  };
}

/** The events that make the projector build exactly `view`. */
function eventsFor(view: UserView): EventEnvelope[] {
  const created: EventEnvelope = {
    type: UserEventTypes.created,
    version: 1,
    occurredAt: view.createdAt.toISOString(),
    aggregateId: view.id,
    aggregateVersion: 1,
    data: {
      email: view.email,
      username: view.username,
      firstName: view.firstName,
      lastName: view.lastName,
      roles: [...view.roles],
      status: 'active',
    },
  };
  if (view.version === 1 && view.status === 'active') return [created];
  if (view.version === 2 && view.status === 'deactivated') {
    const at = view.updatedAt.toISOString();
    return [created, { ...created, type: UserEventTypes.deactivated, occurredAt: at, aggregateVersion: 2, data: {} }];
  }
  throw new Error(`test setup: no event sequence seeds a ${view.status} view at version ${view.version}`);
}

/** Seeds through the projector, the only writer of `read.user_views`, so seeded rows are real ones. */
function sqlHarness({ database }: TestEngine): UserViewReaderHarness {
  const reader = new PostgresUserViewReader(database);
  const projector = new UserViewsProjector(database, new Inbox(database));
  const project = (events: readonly EventEnvelope[]): Promise<void> =>
    database.transaction(async () => {
      for (const event of events) {
        if ((await projector.apply(event)) !== 'applied') throw new Error(`test setup: ${event.type} not applied`);
      }
    });
  return {
    reader,
    seed: (...views) => project(views.flatMap(eventsFor)),
    erase: async (id) => {
      const current = await reader.findById(id);
      if (!current) throw new Error(`test setup: no view ${id} to erase`);
      await project([
        {
          type: UserEventTypes.deleted,
          version: 1,
          occurredAt: new Date('2026-03-01T00:00:00Z').toISOString(),
          aggregateId: id,
          aggregateVersion: current.version + 1,
          data: {},
        },
      ]);
    },
    reset: async () => {
      await database.query(sql`delete from read.user_views`);
    },
  };
}

describeContract(
  'UserViewReader',
  { 'in-memory': inMemoryHarness, pglite: sqlHarness, postgres: sqlHarness },
  userViewReaderContract,
);
