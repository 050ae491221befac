import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandStatusStore } from '../../src/platform/messaging/command-status-store.js';
import { listenForProgress } from '../../src/platform/messaging/progress-listener.js';
import { ProgressNotices, viewChanged } from '../../src/platform/messaging/progress-notices.js';
import { openEngine, type EngineKind, type TestEngine } from '../support/engines.js';
import { postgresAvailable } from '../support/postgres.js';

const postgresUp = await postgresAvailable();
const logger = pino({ level: 'silent' });
// PostgreSQL only: migration 0012 installs no trigger on PGlite (see there why).
const engines: EngineKind[] = postgresUp ? ['postgres'] : [];

/** Every pause a minute long: a wait that ends in seconds was ended by a notice. */
class MinutePauses extends ProgressNotices {
  override pause(key: string): Promise<void> {
    return super.pause(key, 60_000);
  }
}

/**
 * Migration 0012's notices, heard as the API hears them: a wait whose pauses would each last a
 * minute still answers as soon as the command's status, or the user's view row, commits.
 */
describe.skipIf(engines.length === 0).each(engines)('progress notices wake waiting requests [%s]', (kind) => {
  let engine: TestEngine;
  let notices: ProgressNotices;
  let listening: { stop(): Promise<void> };

  beforeAll(async () => {
    engine = await openEngine(kind);
    notices = new MinutePauses();
    listening = await listenForProgress(engine.database, engine.url, notices, logger);
  }, 60_000);

  afterAll(async () => {
    await listening?.stop();
    await engine?.close();
  }, 60_000);

  it('ends the wait for a command when its status commits as finished, not when it is accepted', async () => {
    const store = new CommandStatusStore(engine.database, notices);
    const commandId = randomUUID();
    await store.insertPending({
      commandId,
      type: 'users.create_user',
      resourceId: null,
      caller: 'test',
      correlationId: 'c',
    });
    const started = Date.now();
    const finished = store.waitUntilFinished(commandId, Date.now() + 30_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(notices.waiters).toBe(1);

    await engine.database.query(sql`
      update messaging.command_status set status = 'succeeded', completed_at = now() where command_id = ${commandId}`);
    expect((await finished)?.status).toBe('succeeded');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('wakes the waiter of a user view when its row is written, and no other', async () => {
    const id = randomUUID();
    const other = notices.pause(viewChanged(randomUUID()), 60_000);
    const woken = notices.pause(viewChanged(id), 60_000);
    await engine.database.query(sql`
      insert into read.user_views (id, email, username, first_name, last_name, roles, status, email_verified, locale, version, created_at, updated_at)
      values (${id}, ${`${id}@example.com`}, ${id}, 'A', 'B', '{user}', 'active', true, 'en', 1, now(), now())`);
    await woken;
    expect(notices.waiters).toBe(1);
    notices.notify(undefined);
    await other;
  });
});
