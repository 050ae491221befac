import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/platform/messaging/inbox.js';
import type { TestEngine } from '../support/engines.js';
import type { ContractOptions } from './user-repository.contract.js';

class RollBack extends Error {}

export function describeInboxContract(
  name: string,
  setup: () => Promise<TestEngine>,
  options: ContractOptions = {},
): void {
  describe.skipIf(options.skip ?? false)(`Inbox contract: ${name}`, () => {
    let engine: TestEngine;
    let inbox: Inbox;
    beforeAll(async () => {
      engine = await setup();
      inbox = new Inbox(engine.database);
    });
    afterAll(async () => {
      await engine?.close();
    });

    const claim = (consumer: string, messageId: string): Promise<boolean> =>
      engine.database.transaction(() => inbox.claim(consumer, messageId));

    it('refuses a claim outside a transaction: the claim must commit with its effect', async () => {
      await expect(inbox.claim('consumer', randomUUID())).rejects.toThrow(/inside a transaction/);
    });

    it('claims a message once per consumer', async () => {
      const messageId = randomUUID();

      expect(await claim('projector', messageId)).toBe(true);
      expect(await claim('projector', messageId)).toBe(false);
      expect(await claim('worker', messageId)).toBe(true);
    });

    it('sees a second claim of the same message within one transaction as a duplicate', async () => {
      const messageId = randomUUID();

      const results = await engine.database.transaction(async () => [
        await inbox.claim('worker', messageId),
        await inbox.claim('worker', messageId),
      ]);

      expect(results).toEqual([true, false]);
    });

    it('forgets a claim whose transaction rolled back, so the redelivery is processed', async () => {
      const messageId = randomUUID();

      await expect(
        engine.database.transaction(async () => {
          expect(await inbox.claim('worker', messageId)).toBe(true);
          throw new RollBack();
        }),
      ).rejects.toBeInstanceOf(RollBack);

      expect(await claim('worker', messageId)).toBe(true);
    });

    it('lets exactly one of many concurrent transactions claim a message', async () => {
      const messageId = randomUUID();

      const results = await Promise.all(Array.from({ length: 8 }, () => claim('worker', messageId)));

      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
