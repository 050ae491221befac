import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import type { Inbox } from '../../src/platform/messaging/inbox.js';
import { inRolledBackTransaction } from '../support/roll-back.js';

export interface InboxSubject {
  readonly database: Database;
  readonly inbox: Inbox;
}

export function inboxContract(t: InboxSubject): void {
  const claim = (consumer: string, messageId: string): Promise<boolean> =>
    t.database.transaction(() => t.inbox.claim(consumer, messageId));

  it('refuses a claim outside a transaction: the claim must commit with its effect', async () => {
    await expect(t.inbox.claim('consumer', randomUUID())).rejects.toThrow(/inside a transaction/);
  });

  it('claims a message once per consumer', async () => {
    const messageId = randomUUID();

    expect(await claim('projector', messageId)).toBe(true);
    expect(await claim('projector', messageId)).toBe(false);
    expect(await claim('worker', messageId)).toBe(true);
  });

  it('sees a second claim of the same message within one transaction as a duplicate', async () => {
    const messageId = randomUUID();

    const results = await t.database.transaction(async () => [
      await t.inbox.claim('worker', messageId),
      await t.inbox.claim('worker', messageId),
    ]);

    expect(results).toEqual([true, false]);
  });

  it('forgets a claim whose transaction rolled back, so the redelivery is processed', async () => {
    const messageId = randomUUID();

    await inRolledBackTransaction(t.database, async () => {
      expect(await t.inbox.claim('worker', messageId)).toBe(true);
    });

    expect(await claim('worker', messageId)).toBe(true);
  });

  it('lets exactly one of many concurrent transactions claim a message', async () => {
    const messageId = randomUUID();

    const results = await Promise.all(Array.from({ length: 8 }, () => claim('worker', messageId)));

    expect(results.filter(Boolean)).toHaveLength(1);
  });
}
