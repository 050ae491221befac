import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import type { IdempotencyStore, StoredResponse } from '../../src/platform/messaging/idempotency-store.js';

const RESPONSE: StoredResponse = {
  status: 202,
  headers: { location: '/api/v1/commands/0190a5b4-0000-7000-8000-000000000001', 'content-type': 'application/json' },
  body: { commandId: '0190a5b4-0000-7000-8000-000000000001', status: 'pending', nested: [1, null, 'x'] },
};

export interface IdempotencyStoreSubject {
  readonly database: Database;
  readonly store: IdempotencyStore;
}

export function idempotencyStoreContract(t: IdempotencyStoreSubject): void {
  /** A caller and key no other test uses. */
  const fresh = () => ({ caller: `user:${randomUUID()}`, key: randomUUID() });
  /** Moves a reservation back in time: how the tests let the clock run. */
  const age = async (caller: string, key: string, seconds: number): Promise<void> => {
    await t.database.query(sql`
      update messaging.idempotency_keys set created_at = now() - make_interval(secs => ${seconds})
       where caller = ${caller} and key = ${key}`);
  };

  it('reserves a key seen for the first time', async () => {
    const { caller, key } = fresh();

    expect(await t.store.reserve(caller, key, 'hash-a')).toEqual({ kind: 'reserved' });
  });

  it('answers in-progress to a repeat while the first request has not completed', async () => {
    const { caller, key } = fresh();
    await t.store.reserve(caller, key, 'hash-a');

    expect(await t.store.reserve(caller, key, 'hash-a')).toEqual({ kind: 'in-progress' });
  });

  it('replays the stored response to a repeat once the first request completed', async () => {
    const { caller, key } = fresh();
    await t.store.reserve(caller, key, 'hash-a');

    await t.store.complete(caller, key, RESPONSE);

    expect(await t.store.reserve(caller, key, 'hash-a')).toEqual({ kind: 'replay', response: RESPONSE });
    expect(await t.store.reserve(caller, key, 'hash-a')).toEqual({ kind: 'replay', response: RESPONSE });
  });

  it('replays a response without a body as a null body', async () => {
    const { caller, key } = fresh();
    await t.store.reserve(caller, key, 'hash-a');

    await t.store.complete(caller, key, { status: 204, headers: {}, body: undefined });

    expect(await t.store.reserve(caller, key, 'hash-a')).toEqual({
      kind: 'replay',
      response: { status: 204, headers: {}, body: null },
    });
  });

  it('refuses the key for a different request, before and after completion', async () => {
    const { caller, key } = fresh();
    await t.store.reserve(caller, key, 'hash-a');

    expect(await t.store.reserve(caller, key, 'hash-b')).toEqual({ kind: 'mismatch' });
    await t.store.complete(caller, key, RESPONSE);
    expect(await t.store.reserve(caller, key, 'hash-b')).toEqual({ kind: 'mismatch' });
  });

  it('keeps keys apart per caller', async () => {
    const { caller, key } = fresh();
    await t.store.reserve(caller, key, 'hash-a');

    expect(await t.store.reserve(`${caller}-other`, key, 'hash-b')).toEqual({ kind: 'reserved' });
  });

  it('release frees an uncompleted reservation, so the retry is not refused', async () => {
    const { caller, key } = fresh();
    await t.store.reserve(caller, key, 'hash-a');

    await t.store.release(caller, key);

    expect(await t.store.reserve(caller, key, 'hash-b')).toEqual({ kind: 'reserved' });
  });

  it('release leaves a completed key alone: its response is still replayed', async () => {
    const { caller, key } = fresh();
    await t.store.reserve(caller, key, 'hash-a');
    await t.store.complete(caller, key, RESPONSE);

    await t.store.release(caller, key);

    expect(await t.store.reserve(caller, key, 'hash-a')).toEqual({ kind: 'replay', response: RESPONSE });
  });

  it('lets a new request take over a reservation abandoned for over a minute', async () => {
    const { caller, key } = fresh();
    await t.store.reserve(caller, key, 'hash-a');

    await age(caller, key, 30);
    expect(await t.store.reserve(caller, key, 'hash-a')).toEqual({ kind: 'in-progress' });
    await age(caller, key, 61);
    expect(await t.store.reserve(caller, key, 'hash-b')).toEqual({ kind: 'reserved' });
  });

  it('forgets a completed key after 24 hours', async () => {
    const { caller, key } = fresh();
    await t.store.reserve(caller, key, 'hash-a');
    await t.store.complete(caller, key, RESPONSE);

    await age(caller, key, 23 * 3600);
    expect(await t.store.reserve(caller, key, 'hash-b')).toEqual({ kind: 'mismatch' });
    await age(caller, key, 24 * 3600 + 1);
    expect(await t.store.reserve(caller, key, 'hash-b')).toEqual({ kind: 'reserved' });
  });

  it('gives exactly one of many concurrent first requests the reservation', async () => {
    const { caller, key } = fresh();

    const results = await Promise.all(Array.from({ length: 10 }, () => t.store.reserve(caller, key, 'hash-a')));

    expect(results.filter((r) => r.kind === 'reserved')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in-progress')).toHaveLength(9);
  });

  it('gives one of many concurrent, different requests the key and refuses the others', async () => {
    const { caller, key } = fresh();

    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.store.reserve(caller, key, `hash-${i}`)));

    expect(results.filter((r) => r.kind === 'reserved')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'mismatch')).toHaveLength(9);
  });
}
