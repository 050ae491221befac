import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, sqlState, UNIQUE_VIOLATION } from '../../src/platform/db/database.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';

const postgresUp = await postgresAvailable();

/** The prepared statements of the connection this runs on (inside a transaction: one connection). */
const preparedHere = async (database: Database): Promise<string[]> =>
  database.transaction(async () => {
    await database.query(sql`select ${1}::int as touch`);
    const { rows } = await database.query<{ statement: string }>(
      sql`select statement from pg_prepared_statements where name like 'portico_%' and ${true}`,
    );
    return rows.map((r) => r.statement);
  });

describe.skipIf(!postgresUp)('named statements on PostgreSQL (DB_NAMED_STATEMENTS)', () => {
  let created: Awaited<ReturnType<typeof createTestDatabase>>;
  let named: Database;
  let unnamed: Database;

  beforeAll(async () => {
    created = await createTestDatabase();
    named = Database.postgres(created.url, { poolSize: 3 });
    unnamed = Database.postgres(created.url, { poolSize: 1, namedStatements: false });
    await named.query(sql.raw('create table notes (id int primary key, body text not null)'));
  });
  afterAll(async () => {
    await named?.close();
    await unnamed?.close();
    await created?.drop();
  });

  it('prepares a statement with parameters on its connection, and runs it again by name', async () => {
    const text = 'select body from notes where id = $1';
    await named.transaction(async () => {
      await named.query(sql`select body from notes where id = ${1}`);
      await named.query(sql`select body from notes where id = ${2}`);
      const { rows } = await named.query<{ statement: string }>(
        sql`select statement from pg_prepared_statements where name like 'portico_%' and statement = ${text}`,
      );
      expect(rows).toHaveLength(1);
    });
  });

  it('prepares nothing with DB_NAMED_STATEMENTS=false', async () => {
    expect(await preparedHere(unnamed)).toEqual([]);
    expect((await preparedHere(named)).length).toBeGreaterThan(0);
  });

  it('gives every connection of the pool the same name for a text, so many at once all succeed', async () => {
    const writes = Array.from({ length: 30 }, (_, i) =>
      named.query(sql`insert into notes (id, body) values (${100 + i}, ${`note ${i}`})`),
    );
    await Promise.all(writes);
    const { rows } = await named.query<{ n: number }>(sql`select count(*)::int as n from notes where id >= ${100}`);
    expect(rows[0]!.n).toBe(30);
  });

  it('runs a named statement again after it failed, inside a rolled-back transaction and alone', async () => {
    const insert = (id: number) => named.query(sql`insert into notes (id, body) values (${id}, ${'again'})`);
    await insert(1);
    const refused = await named
      .transaction(async () => insert(1))
      .then(
        () => null,
        (error: unknown) => sqlState(error).code,
      );
    expect(refused).toBe(UNIQUE_VIOLATION);
    await insert(2);
    await named.transaction(async () => insert(3));
  });

  it('prepares a statement whose first parse failed once the table it names exists', async () => {
    const read = () => named.query(sql`select label from tags where id = ${1}`);
    const missing = await read().then(
      () => null,
      (error: unknown) => sqlState(error).code,
    );
    expect(missing).toBe('42P01');
    await named.query(sql.raw('create table tags (id int primary key, label text)'));
    expect((await read()).rows).toEqual([]);
  });

  it('keeps a prepared statement working after a migration adds a column to its table', async () => {
    const read = () => named.query<{ body: string }>(sql`select body from notes where id = ${1}`);
    expect((await read()).rows).toEqual([{ body: 'again' }]);
    await named.query(sql.raw("alter table notes add column tag text not null default 'none'"));
    expect((await read()).rows).toEqual([{ body: 'again' }]);
  });
});
