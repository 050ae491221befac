import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandStatusStore } from '../../src/platform/messaging/command-status-store.js';
import type { TestEngine } from '../support/engines.js';
import type { ContractOptions } from './user-repository.contract.js';

class RollBack extends Error {}

export function describeCommandStatusStoreContract(
  name: string,
  setup: () => Promise<TestEngine>,
  options: ContractOptions = {},
): void {
  describe.skipIf(options.skip ?? false)(`CommandStatusStore contract: ${name}`, () => {
    let engine: TestEngine;
    let store: CommandStatusStore;
    beforeAll(async () => {
      engine = await setup();
      store = new CommandStatusStore(engine.database);
    });
    afterAll(async () => {
      await engine?.close();
    });

    const pending = () => ({
      commandId: randomUUID(),
      type: 'users.create_user',
      resourceId: randomUUID(),
      caller: 'admin:0190a5b4-0000-7000-8000-000000000001',
      correlationId: `corr-${randomUUID()}`,
    });

    it('finds nothing for an unknown command', async () => {
      expect(await store.find(randomUUID())).toBeNull();
    });

    it('waitUntilFinished answers once the command finishes, and null while it stays pending', async () => {
      const command = pending();
      await store.insertPending(command);
      expect(await store.waitUntilFinished(command.commandId, Date.now() + 100)).toBeNull();
      const waiting = store.waitUntilFinished(command.commandId, Date.now() + 5_000);
      setTimeout(() => {
        void store.succeed(command.commandId, command.type, { resourceId: command.resourceId, version: 1 }, 'c');
      }, 50);
      expect(await waiting).toMatchObject({ commandId: command.commandId, status: 'succeeded', resultVersion: 1 });
    });

    it('records an accepted command as pending', async () => {
      const command = pending();
      const before = Date.now();

      await store.insertPending(command);

      const status = await store.find(command.commandId);
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
      await store.insertPending(refused);
      await store.insertPending(finished);
      await store.succeed(
        finished.commandId,
        finished.type,
        { resourceId: finished.resourceId, version: 1 },
        finished.correlationId,
      );

      await store.remove(refused.commandId);
      await store.remove(finished.commandId);

      expect(await store.find(refused.commandId)).toBeNull();
      expect(await store.find(finished.commandId)).toMatchObject({ status: 'succeeded' });
    });

    it('keeps no pending row when the accepting transaction rolled back', async () => {
      const command = pending();

      await expect(
        engine.database.transaction(async () => {
          await store.insertPending(command);
          throw new RollBack();
        }),
      ).rejects.toBeInstanceOf(RollBack);

      expect(await store.find(command.commandId)).toBeNull();
    });

    it('marks a pending command succeeded with its resource and version, keeping who asked', async () => {
      const command = pending();
      await store.insertPending(command);

      await store.succeed(
        command.commandId,
        command.type,
        { resourceId: command.resourceId, version: 4 },
        command.correlationId,
      );

      const status = await store.find(command.commandId);
      expect(status).toMatchObject({
        ...command,
        status: 'succeeded',
        resultVersion: 4,
        error: null,
        completedAt: expect.any(Date),
      });
    });

    it('reports a null version for a command whose resource is gone (deleted)', async () => {
      const command = pending();
      await store.insertPending(command);

      await store.succeed(
        command.commandId,
        command.type,
        { resourceId: command.resourceId, version: null },
        command.correlationId,
      );

      expect(await store.find(command.commandId)).toMatchObject({ status: 'succeeded', resultVersion: null });
    });

    it('marks a pending command failed with its error code, message and field errors', async () => {
      const command = pending();
      await store.insertPending(command);
      const error = {
        code: 'email_taken',
        message: 'a user with email a@example.com already exists',
        errors: [{ field: 'email', message: 'is already taken' }],
      };

      await store.fail(command.commandId, command.type, error, command.correlationId);

      expect(await store.find(command.commandId)).toMatchObject({
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

      await store.succeed(
        succeeded.commandId,
        succeeded.type,
        { resourceId: succeeded.resourceId, version: 1 },
        succeeded.correlationId,
      );
      await store.fail(failed.commandId, failed.type, error, failed.correlationId);
      expect(await store.find(succeeded.commandId)).toMatchObject({ status: 'succeeded', resultVersion: 1 });
      expect(await store.find(failed.commandId)).toMatchObject({ status: 'failed', error });

      await store.insertPending(succeeded);
      await store.insertPending(failed);

      expect(await store.find(succeeded.commandId)).toMatchObject({
        ...succeeded,
        status: 'succeeded',
        resultVersion: 1,
        completedAt: expect.any(Date),
      });
      expect(await store.find(failed.commandId)).toMatchObject({
        ...failed,
        status: 'failed',
        error,
        completedAt: expect.any(Date),
      });
    });
  });
}
