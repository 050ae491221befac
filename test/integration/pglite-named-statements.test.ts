import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, sqlState, UNIQUE_VIOLATION } from '../../src/platform/db/database.js';

const codeOf = (work: Promise<unknown>) =>
  work.then(
    () => null,
    (error: unknown) => sqlState(error).code,
  );

describe('named statements on PGlite, inside transactions', () => {
  let named: Database;
  let unnamed: Database;

  beforeAll(async () => {
    [named, unnamed] = await Promise.all([Database.pglite(null), Database.pglite(null, { namedStatements: false })]);
    for (const database of [named, unnamed]) {
      await database.query(
        sql.raw(
          `create table notes (id int primary key, body text, at timestamptz, tags text[], data jsonb, n bigint)`,
        ),
      );
    }
  });
  afterAll(async () => {
    await named?.close();
    await unnamed?.close();
  });

  const preparedIn = (database: Database) =>
    database.transaction(async () => {
      const { rows } = await database.query<{ statement: string }>(
        sql`select statement from pg_prepared_statements where name like ${'portico_%'}`,
      );
      return rows.map((r) => r.statement);
    });

  it('prepares a statement with parameters once, by name, and prepares nothing with DB_NAMED_STATEMENTS=false', async () => {
    await named.transaction(async () => {
      await named.query(sql`select body from notes where id = ${1}`);
      await named.query(sql`select body from notes where id = ${2}`);
    });
    expect(await preparedIn(named)).toEqual(
      expect.arrayContaining([
        'select body from notes where id = $1',
        'select statement from pg_prepared_statements where name like $1',
      ]),
    );
    expect(await preparedIn(unnamed)).toEqual([]);
  });

  it('reads and writes every type as PGlite own path does (timestamps, arrays, JSON, bigint, null)', async () => {
    const row = (database: Database) =>
      database.transaction(async () => {
        await database.query(sql`insert into notes (id, body, at, tags, data, n)
          values (${10}, ${null}, ${'2026-12-04T05:00:00.123Z'}, ${'{a,"b c"}'}, ${JSON.stringify({ k: [1, 'two'] })}::jsonb, ${'9007199254740993'})`);
        return (await database.query(sql`select id, body, at, tags, data, n from notes where id = ${10}`)).rows;
      });
    const [viaName, viaText] = await Promise.all([row(named), row(unnamed)]);
    expect(viaName).toEqual(viaText);
    expect(viaName).toEqual([
      { id: 10, body: null, at: expect.any(String), tags: ['a', 'b c'], data: { k: [1, 'two'] }, n: expect.anything() },
    ]);
  });

  it('refuses a duplicate with its SQLSTATE, rolls the transaction back, and runs the statement again afterwards', async () => {
    const insert = (id: number) => named.query(sql`insert into notes (id, body) values (${id}, ${'again'})`);
    await named.transaction(() => insert(20));
    expect(await codeOf(named.transaction(async () => (await insert(21), await insert(20))))).toBe(UNIQUE_VIOLATION);
    expect((await named.query(sql`select id from notes where id = ${21}`)).rows).toEqual([]);
    await named.transaction(() => insert(22));
    expect((await named.query(sql`select count(*)::int as n from notes where id in (${20}, ${22})`)).rows).toEqual([
      { n: 2 },
    ]);
  });

  it('prepares a statement whose first parse failed once the table it names exists', async () => {
    const read = () => named.transaction(() => named.query(sql`select label from tags where id = ${1}`));
    expect(await codeOf(read())).toBe('42P01');
    await named.query(sql.raw('create table tags (id int primary key, label text)'));
    expect((await read()).rows).toEqual([]);
  });

  it('keeps transactions and the statements outside them apart when many run at once', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      named.transaction(async () => {
        await named.query(sql`insert into notes (id, body) values (${100 + i}, ${`note ${i}`})`);
        return (await named.query(sql`select body from notes where id = ${100 + i}`)).rows;
      }),
    );
    const reads = Array.from({ length: 20 }, () =>
      named.query(sql`select count(*)::int as n from notes where id >= ${100}`),
    );
    const written = await Promise.all(writes);
    await Promise.all(reads);
    expect(written.map((rows) => rows[0])).toEqual(Array.from({ length: 20 }, (_, i) => ({ body: `note ${i}` })));
  });

  it('keeps what a transaction committed through named statements in a data directory, across a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-named-'));
    try {
      let database = await Database.pglite(join(dir, 'data'));
      await database.query(sql.raw('create table kept (id int primary key, body text)'));
      await database.transaction(() => database.query(sql`insert into kept (id, body) values (${1}, ${'durable'})`));
      await database.close();
      database = await Database.pglite(join(dir, 'data'));
      expect((await database.query(sql`select body from kept where id = ${1}`)).rows).toEqual([{ body: 'durable' }]);
      await database.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
