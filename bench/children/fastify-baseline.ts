/**
 * Baseline servers: what Fastify and the pg driver manage on this machine with nothing of Portico in
 * the way. `GET /json` is a bare route; `GET /users/:id` runs the read model's SELECT by primary
 * key (the statement drizzle sends for `PostgresUserViewReader.findById`) on a pg pool of the same
 * size as Portico's (DB_POOL_SIZE default). No logging, no validation, no auth.
 */
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
  const { rows } = await pool.query(SELECT_BY_ID, [request.params.id, 'deleted']);
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

const address = await app.listen({ host: '127.0.0.1', port: 0 });
report({ type: 'ready', url: address });

const shutdown = async () => {
  await app.close();
  await pool?.end();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.on('disconnect', () => void shutdown());
