/**
 * Baseline servers: what Fastify and the pg driver manage on this machine with nothing of Portico in
 * the way. `GET /json` is a bare route; `GET /users/:id` runs the read model's SELECT by primary
 * key (the statement drizzle sends for `PostgresUserViewReader.findById`) on a pg pool of the same
 * size as Portico's (DB_POOL_SIZE default). `POST /refresh` (with BENCH_BASELINE_SESSIONS) is one
 * pg transaction with the writes of Portico's refresh: the token's session found, locked and
 * rotated, the new token's digest stored. No logging, no validation, no auth. Its statements are
 * named, as Portico's are (DB_NAMED_STATEMENTS), so PostgreSQL plans each once per connection on
 * both sides and the ratio is Portico's own work.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { report } from '../lib/child.js';

const SELECT_BY_ID =
  'select "id", "email", "username", "first_name", "last_name", "roles", "status", "version", "created_at", "updated_at" ' +
  'from "read"."user_views" "user_views" where ("user_views"."id" = $1 and "user_views"."status" <> $2)';

const databaseUrl = process.env.BENCH_BASELINE_DATABASE_URL;
const pool = databaseUrl
  ? new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.BENCH_BASELINE_POOL_SIZE ?? 10) })
  : null;

const app = Fastify({ logger: false });
app.get('/json', async () => ({ hello: 'world' }));
app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
  if (!pool) return reply.code(404).send({ error: 'no database' });
  const { rows } = await pool.query({ name: 'user_view', text: SELECT_BY_ID, values: [request.params.id, 'deleted'] });
  const row = rows[0] as Record<string, unknown> | undefined;
  if (!row) return reply.code(404).send({ error: 'not found' });
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    roles: row.roles,
    status: row.status,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
});

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');
const newToken = () => randomBytes(32).toString('base64url');

/** Sessions of the baseline's own, in the auth tables, each with its first refresh token. */
async function openSessions(count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const [id, token] = [randomUUID(), newToken()];
    await pool!.query(
      `insert into auth.sessions (id, user_id, roles, current_token_hash, created_at, expires_at, version)
       values ($1, $2, '{user}', $3, now(), now() + interval '1 day', 1)`,
      [id, randomUUID(), digest(token)],
    );
    await pool!.query('insert into auth.refresh_tokens (token_hash, session_id) values ($1, $2)', [digest(token), id]);
    tokens.push(token);
  }
  return tokens;
}

app.post<{ Body: { refreshToken: string } }>('/refresh', async (request, reply) => {
  const client = await pool!.connect();
  try {
    await client.query('begin');
    const found = await client.query({
      name: 'session_of_token',
      text: 'select session_id from auth.refresh_tokens where token_hash = $1',
      values: [digest(request.body.refreshToken)],
    });
    const sessionId = found.rows[0]?.session_id as string | undefined;
    const locked = sessionId
      ? await client.query({
          name: 'lock_session',
          text: 'select * from auth.sessions where id = $1 for update',
          values: [sessionId],
        })
      : null;
    const session = locked?.rows[0] as { current_token_hash: string; version: number } | undefined;
    if (!sessionId || !session) {
      await client.query('rollback');
      return reply.code(401).send({ error: 'unknown token' });
    }
    const token = newToken();
    await client.query({
      name: 'rotate_session',
      text: `update auth.sessions set current_token_hash = $1, previous_token_hash = $2, rotated_at = now(),
              last_used_at = now(), version = $3 where id = $4 and version = $5`,
      values: [digest(token), session.current_token_hash, session.version + 1, sessionId, session.version],
    });
    await client.query({
      name: 'store_token',
      text: 'insert into auth.refresh_tokens (token_hash, session_id, issued_at) values ($1, $2, default) on conflict do nothing',
      values: [digest(token), sessionId],
    });
    await client.query('commit');
    return { refreshToken: token };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
});

const sessions = pool ? await openSessions(Number(process.env.BENCH_BASELINE_SESSIONS ?? 0)) : [];
const address = await app.listen({ host: '127.0.0.1', port: 0 });
report({ type: 'ready', url: address, refreshTokens: sessions });

const shutdown = async () => {
  await app.close();
  await pool?.end();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.on('disconnect', () => void shutdown());
