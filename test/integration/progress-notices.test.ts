import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { CommandStatusStore } from '../../src/platform/messaging/command-status-store.js';
import { listenTo } from '../../src/platform/db/notifications.js';
import { PROGRESS_CHANNEL, ProgressNotices, viewChanged } from '../../src/platform/messaging/progress-notices.js';
import { describeOnEngines } from '../support/contract.js';

/** Every pause a minute long: a wait that ends in seconds was ended by a notice. */
class MinutePauses extends ProgressNotices {
  constructor() {
    super({ firstMs: 60_000, maxMs: 60_000 });
    this.markAnnounced();
  }
}

/** A wait whose first look finds nothing and whose next one finds it: it ends at its first notice. */
const untilNoticed = (notices: ProgressNotices, key: string): Promise<unknown> => {
  let looks = 0;
  return notices.waitFor(key, Date.now() + 120_000, async () => (++looks > 1 ? looks : null));
};

/**
 * Migration 0012's notices, heard as the API hears them: a wait whose pauses would each last a
 * minute still answers as soon as the command's status, or the user's view row, commits.
 * PostgreSQL only: the migration installs no trigger on PGlite (see there why).
 */
describeOnEngines(
  'progress notices wake waiting requests',
  {
    postgres: async ({ database, url }) => {
      const notices = new MinutePauses();
      const onPayload = (key?: string) => notices.notify(key);
      const listening = await listenTo(database, url, PROGRESS_CHANNEL, onPayload, pino({ level: 'silent' }));
      return { database: database as Database, notices, close: () => listening.stop() };
    },
  },
  (t) => {
    it('ends the wait for a command when its status commits as finished, not when it is accepted', async () => {
      const store = new CommandStatusStore(t.database, t.notices);
      const commandId = randomUUID();
      const pending = { commandId, type: 'users.create_user', resourceId: null, caller: 'test', correlationId: 'c' };
      await store.insertPending(pending);
      const started = Date.now();
      const finished = store.waitUntilFinished(commandId, Date.now() + 30_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(t.notices.waiters).toBe(1);

      await t.database.query(sql`
        update messaging.command_status set status = 'succeeded', completed_at = now() where command_id = ${commandId}`);
      expect((await finished)?.status).toBe('succeeded');
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('wakes the waiter of a user view when its row is written, and no other', async () => {
      const id = randomUUID();
      const other = untilNoticed(t.notices, viewChanged(randomUUID()));
      const woken = untilNoticed(t.notices, viewChanged(id));
      await t.database.query(sql`
        insert into read.user_views (id, email, username, first_name, last_name, roles, status, email_verified, locale, version, created_at, updated_at)
        values (${id}, ${`${id}@example.com`}, ${id}, 'A', 'B', '{user}', 'active', true, 'en', 1, now(), now())`);
      await woken;
      expect(t.notices.waiters).toBe(1);
      t.notices.notify(undefined);
      await other;
    });
  },
);
