import { describe, expect, it } from 'vitest';
import { StatementNames } from '../../../../src/platform/db/named-statements.js';

describe('StatementNames', () => {
  it('gives a text one name, and another text another', () => {
    const names = new StatementNames();
    const first = names.nameOf('select id from users.users where email = $1');
    expect(first).toBeDefined();
    expect(names.nameOf('select id from users.users where email = $1')).toBe(first);
    expect(names.nameOf('select id from users.users where id = $1')).not.toBe(first);
  });

  it('names no statement without parameters: such a text may hold several commands', () => {
    const names = new StatementNames();
    expect(names.nameOf('begin')).toBeUndefined();
    expect(names.nameOf('create table t (a int); create index on t (a)')).toBeUndefined();
    expect(names.size).toBe(0);
  });

  it.each([
    'select * from messaging.command_status where command_id = $1',
    'update auth.sessions set last_used_at = now() where id = $1 returning *',
    'select s.* from auth.sessions s where s.id = $1',
    'select id, s.* from auth.sessions s where s.id = $1',
  ])('names no statement whose columns a migration could change under its plan: %s', (text) => {
    expect(new StatementNames().nameOf(text)).toBeUndefined();
  });

  it('names a count(*), whose result type never changes', () => {
    expect(new StatementNames().nameOf('select count(*)::int from auth.passkeys where user_id = $1')).toBeDefined();
  });

  it('names at most `most` texts; later ones run unnamed, earlier ones keep their names', () => {
    const names = new StatementNames(2);
    const a = names.nameOf('select $1::int as a');
    const b = names.nameOf('select $1::int as b');
    expect(names.nameOf('select $1::int as c')).toBeUndefined();
    expect([names.nameOf('select $1::int as a'), names.nameOf('select $1::int as b')]).toEqual([a, b]);
  });
});
