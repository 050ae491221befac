/**
 * The peer server: Better Auth (bench/lib/peer-config.ts) on node:http, the way its documentation
 * mounts it on a Node server. Creates its tables with Better Auth's own migration API before it
 * reports ready, on 127.0.0.1 and a port the system picks.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import pg from 'pg';
import { report } from '../lib/child.js';
import { PEER_POOL_SIZE, peerOptions } from '../lib/peer-config.js';

const pool = new pg.Pool({ connectionString: process.env.BENCH_PEER_DATABASE_URL, max: PEER_POOL_SIZE });
const server = createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// The base URL is known only once the port is: the handler is attached after listening.
const options = peerOptions(pool, url, randomBytes(32).toString('hex'));
const { runMigrations } = await getMigrations(options);
await runMigrations();
server.on('request', toNodeHandler(betterAuth(options)));
report({ type: 'ready', url });

const shutdown = async () => {
  await new Promise((resolve) => server.close(resolve));
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.on('disconnect', () => void shutdown());
