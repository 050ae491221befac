import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import type { CommandStatusStore } from '../../src/platform/messaging/command-status-store.js';
import { inRolledBackTransaction } from '../support/roll-back.js';

export interface CommandStatusStoreSubject {
  readonly database: Database;
  readonly store: CommandStatusStore;
}

export function commandStatusStoreContract(t: CommandStatusStoreSubject): void {
  const pending = () => ({
    commandId: randomUUID(),
    type: 'users.create_user',
    resourceId: randomUUID(),
    caller: 'admin:0190a5b4-0000-7000-8000-000000000001',
    correlationId: `corr-${randomUUID()}`,
  });
  type Pending = ReturnType<typeof pending>;
  /** What the worker reports once the command is applied. */
  const succeed = (command: Pending, version: number | null): Promise<void> =>
    t.store.succeed(
      command.commandId,
      command.type,
      { resourceId: command.resourceId, version },
      command.correlationId,
    );

  it('succeedAtCommit records the commands sharing a transaction once it commits, none if it rolls back', async () => {
    const [first, second] = [pending(), pending()];
    await t.store.insertPending(first);
    const at = (command: Pending, version: number) =>
      t.store.succeedAtCommit(
        command.commandId,
        command.type,
        { resourceId: command.resourceId, version },
        command.correlationId,
      );
    await t.database.transaction(async () => {
      await at(first, 3);
      await at(second, 1);
      expect((await t.store.find(first.commandId))?.status).toBe('pending');
    });
    expect(await t.store.find(first.commandId)).toMatchObject({ status: 'succeeded', resultVersion: 3 });
    expect(await t.store.find(second.commandId)).toMatchObject({ status: 'succeeded', resultVersion: 1 });

    const third = pending();
    await t.database
      .transaction(async () => {
        await at(third, 1);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await t.store.find(third.commandId)).toBeNull();
  });

  it('finds nothing for an unknown command', async () => {
    expect(await t.store.find(randomUUID())).toBeNull();
  });

  it('waitUntilFinished answers once the command finishes, and null while it stays pending', async () => {
    const command = pending();
    await t.store.insertPending(command);
    expect(await t.store.waitUntilFinished(command.commandId, Date.now() + 100)).toBeNull();
    const waiting = t.store.waitUntilFinished(command.commandId, Date.now() + 5_000);
    setTimeout(() => {
      void succeed(command, 1);
    }, 50);
    expect(await waiting).toMatchObject({ commandId: command.commandId, status: 'succeeded', resultVersion: 1 });
  });

  it('records an accepted command as pending', async () => {
    const command = pending();
    const before = Date.now();

    await t.store.insertPending(command);

    const status = await t.store.find(command.commandId);
    expect(status).toEqual({
      ...command,
      status: 'pending',
      resultVersion: null,
      error: null,
      createdAt: expect.any(Date),
      completedAt: null,
    });
    expect(status!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('remove takes back a pending command (the broker refused it), never a finished one', async () => {
    const refused = pending();
    const finished = pending();
    await t.store.insertPending(refused);
    await t.store.insertPending(finished);
    await succeed(finished, 1);

    await t.store.remove(refused.commandId);
    await t.store.remove(finished.commandId);

    expect(await t.store.find(refused.commandId)).toBeNull();
    expect(await t.store.find(finished.commandId)).toMatchObject({ status: 'succeeded' });
  });

  it('keeps no pending row when the accepting transaction rolled back', async () => {
    const command = pending();

    await inRolledBackTransaction(t.database, () => t.store.insertPending(command));

    expect(await t.store.find(command.commandId)).toBeNull();
  });

  it.each([
    { version: 4, outcome: 'its new version' },
    { version: null, outcome: 'a null version, the resource being gone (deleted)' },
  ])('marks a pending command succeeded with $outcome, keeping who asked', async ({ version }) => {
    const command = pending();
    await t.store.insertPending(command);

    await succeed(command, version);

    expect(await t.store.find(command.commandId)).toMatchObject({
      ...command,
      status: 'succeeded',
      resultVersion: version,
      error: null,
      completedAt: expect.any(Date),
    });
  });

  it('marks a pending command failed with its error code, message and field errors', async () => {
    const command = pending();
    await t.store.insertPending(command);
    const error = {
      code: 'email_taken',
      message: 'a user with email a@example.com already exists',
      errors: [{ field: 'email', message: 'is already taken' }],
    };

    await t.store.fail(command.commandId, command.type, error, command.correlationId);

    expect(await t.store.find(command.commandId)).toMatchObject({
      ...command,
      status: 'failed',
      error,
      resultVersion: null,
      completedAt: expect.any(Date),
    });
  });

  it('records an outcome that arrives before the pending row, and keeps it when that row comes', async () => {
    // With a broker the worker can finish before the API has written `pending`.
    const succeeded = pending();
    const failed = pending();
    const error = { code: 'not_found', message: 'user x was not found' };

    await succeed(succeeded, 1);
    await t.store.fail(failed.commandId, failed.type, error, failed.correlationId);
    expect(await t.store.find(succeeded.commandId)).toMatchObject({ status: 'succeeded', resultVersion: 1 });
    expect(await t.store.find(failed.commandId)).toMatchObject({ status: 'failed', error });

    await t.store.insertPending(succeeded);
    await t.store.insertPending(failed);

    expect(await t.store.find(succeeded.commandId)).toMatchObject({
      ...succeeded,
      status: 'succeeded',
      resultVersion: 1,
      completedAt: expect.any(Date),
    });
    expect(await t.store.find(failed.commandId)).toMatchObject({
      ...failed,
      status: 'failed',
      error,
      completedAt: expect.any(Date),
    });
  });
}
