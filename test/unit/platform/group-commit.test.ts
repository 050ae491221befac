import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../../src/platform/db/database.js';
import { GroupCommit } from '../../../src/platform/db/group-commit.js';

describe('GroupCommit', () => {
  let database: Database;
  beforeAll(async () => {
    database = await Database.pglite(null);
    await database.query(sql`create table t (id int primary key)`);
  });
  afterAll(() => database.close());
  beforeEach(() => database.query(sql`delete from t`));

  const ids = async () =>
    (await database.query<{ id: number }>(sql`select id from t order by id`)).rows.map((r) => r.id);
  const insert = (id: number) => () =>
    database.query(sql`insert into t (id) values (${id})`).then(() => ({ id, inTransaction: database.inTransaction }));

  it('runs what arrives while a batch commits in one transaction, in arrival order', async () => {
    const group = new GroupCommit(database, 10);
    const order: number[] = [];
    const unit = (id: number) => () => insert(id)().then((r) => (order.push(id), r));
    const results = await Promise.all([1, 2, 3, 4].map((id) => group.run(unit(id))));

    expect(results.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(results.every((r) => r.inTransaction)).toBe(true);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(await ids()).toEqual([1, 2, 3, 4]);
  });

  it("keeps one unit's failure its own: the others commit, it alone rejects", async () => {
    const group = new GroupCommit(database, 10);
    const failing = () => insert(2)().then(() => Promise.reject(new Error('unit 2 fails')));
    const outcomes = await Promise.allSettled([group.run(insert(1)), group.run(failing), group.run(insert(3))]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toHaveProperty('message', 'unit 2 fails');
    // Unit 2's insert rolled back with its failure; 1 and 3 ran again on their own and committed.
    expect(await ids()).toEqual([1, 3]);
  });

  it('runs each unit in the async context it was handed over from', async () => {
    const context = new AsyncLocalStorage<string>();
    const group = new GroupCommit(database, 10);
    const seen = await Promise.all(
      ['a', 'b', 'c'].map((name, i) =>
        context.run(name, () => group.run(() => insert(i)().then(() => context.getStore()))),
      ),
    );
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('takes at most maxBatch units a transaction', async () => {
    const group = new GroupCommit(database, 2);
    const txids = await Promise.all(
      [1, 2, 3, 4, 5].map((id) =>
        group.run(async () => {
          await insert(id)();
          return (await database.query<{ x: string }>(sql`select txid_current()::text as x`)).rows[0]!.x;
        }),
      ),
    );
    // The first arrives alone (nothing was waiting), then the rest two by two.
    expect(new Set(txids).size).toBe(3);
    expect(await ids()).toEqual([1, 2, 3, 4, 5]);
  });
});
