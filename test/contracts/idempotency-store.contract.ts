import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyStore, type StoredResponse } from '../../src/platform/messaging/idempotency-store.js';
import type { TestEngine } from '../support/engines.js';
import type { ContractOptions } from './user-repository.contract.js';

const RESPONSE: StoredResponse = {
  status: 202,
  headers: { location: '/api/v1/commands/0190a5b4-0000-7000-8000-000000000001', 'content-type': 'application/json' },
  body: { commandId: '0190a5b4-0000-7000-8000-000000000001', status: 'pending', nested: [1, null, 'x'] },
};

export function describeIdempotencyStoreContract(
  name: string,
  setup: () => Promise<TestEngine>,
  options: ContractOptions = {},
): void {
  describe.skipIf(options.skip ?? false)(`IdempotencyStore contract: ${name}`, () => {
    let engine: TestEngine;
    let store: IdempotencyStore;
    beforeAll(async () => {
      engine = await setup();
      store = new IdempotencyStore(engine.database);
    });
    afterAll(async () => {
      await engine?.close();
    });

    /** A caller and key no other test uses. */
    const fresh = () => ({ caller: `user:${randomUUID()}`, key: randomUUID() });
    /** Moves a reservation back in time: how the tests let the clock run. */
    const age = async (caller: string, key: string, seconds: number): Promise<void> => {
      await engine.database.query(sql`
        update messaging.idempotency_keys set created_at = now() - make_interval(secs => ${seconds})
         where caller = ${caller} and key = ${key}`);
    };

    it('reserves a key seen for the first time', async () => {
      const { caller, key } = fresh();

      expect(await store.reserve(caller, key, 'hash-a')).toEqual({ kind: 'reserved' });
    });

    it('answers in-progress to a repeat while the first request has not completed', async () => {
      const { caller, key } = fresh();
      await store.reserve(caller, key, 'hash-a');

      expect(await store.reserve(caller, key, 'hash-a')).toEqual({ kind: 'in-progress' });
    });

    it('replays the stored response to a repeat once the first request completed', async () => {
      const { caller, key } = fresh();
      await store.reserve(caller, key, 'hash-a');

      await store.complete(caller, key, RESPONSE);

      expect(await store.reserve(caller, key, 'hash-a')).toEqual({ kind: 'replay', response: RESPONSE });
      expect(await store.reserve(caller, key, 'hash-a')).toEqual({ kind: 'replay', response: RESPONSE });
    });

    it('replays a response without a body as a null body', async () => {
      const { caller, key } = fresh();
      await store.reserve(caller, key, 'hash-a');

      await store.complete(caller, key, { status: 204, headers: {}, body: undefined });

      expect(await store.reserve(caller, key, 'hash-a')).toEqual({
        kind: 'replay',
        response: { status: 204, headers: {}, body: null },
      });
    });

    it('refuses the key for a different request, before and after completion', async () => {
      const { caller, key } = fresh();
      await store.reserve(caller, key, 'hash-a');

      expect(await store.reserve(caller, key, 'hash-b')).toEqual({ kind: 'mismatch' });
      await store.complete(caller, key, RESPONSE);
      expect(await store.reserve(caller, key, 'hash-b')).toEqual({ kind: 'mismatch' });
    });

    it('keeps keys apart per caller', async () => {
      const { caller, key } = fresh();
      await store.reserve(caller, key, 'hash-a');

      expect(await store.reserve(`${caller}-other`, key, 'hash-b')).toEqual({ kind: 'reserved' });
    });

    it('release frees an uncompleted reservation, so the retry is not refused', async () => {
      const { caller, key } = fresh();
      await store.reserve(caller, key, 'hash-a');

      await store.release(caller, key);

      expect(await store.reserve(caller, key, 'hash-b')).toEqual({ kind: 'reserved' });
    });

    it('release leaves a completed key alone: its response is still replayed', async () => {
      const { caller, key } = fresh();
      await store.reserve(caller, key, 'hash-a');
      await store.complete(caller, key, RESPONSE);

      await store.release(caller, key);

      expect(await store.reserve(caller, key, 'hash-a')).toEqual({ kind: 'replay', response: RESPONSE });
    });

    it('lets a new request take over a reservation abandoned for over a minute', async () => {
      const { caller, key } = fresh();
      await store.reserve(caller, key, 'hash-a');

      await age(caller, key, 30);
      expect(await store.reserve(caller, key, 'hash-a')).toEqual({ kind: 'in-progress' });
      await age(caller, key, 61);
      expect(await store.reserve(caller, key, 'hash-b')).toEqual({ kind: 'reserved' });
    });

    it('forgets a completed key after 24 hours', async () => {
      const { caller, key } = fresh();
      await store.reserve(caller, key, 'hash-a');
      await store.complete(caller, key, RESPONSE);

      await age(caller, key, 23 * 3600);
      expect(await store.reserve(caller, key, 'hash-b')).toEqual({ kind: 'mismatch' });
      await age(caller, key, 24 * 3600 + 1);
      expect(await store.reserve(caller, key, 'hash-b')).toEqual({ kind: 'reserved' });
    });

    it('gives exactly one of many concurrent first requests the reservation', async () => {
      const { caller, key } = fresh();

      const results = await Promise.all(Array.from({ length: 10 }, () => store.reserve(caller, key, 'hash-a')));

      expect(results.filter((r) => r.kind === 'reserved')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'in-progress')).toHaveLength(9);
    });

    it('gives one of many concurrent, different requests the key and refuses the others', async () => {
      const { caller, key } = fresh();

      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.reserve(caller, key, `hash-${i}`)));

      expect(results.filter((r) => r.kind === 'reserved')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'mismatch')).toHaveLength(9);
    });
  });
}
