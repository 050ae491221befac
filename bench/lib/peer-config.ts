import { readFileSync } from 'node:fs';
import { hash, verify } from '@node-rs/argon2';
import type { BetterAuthOptions } from 'better-auth';
import type pg from 'pg';
import { ARGON2_PARAMETERS } from '../../src/platform/system/argon2-password-hasher.js';

/**
 * The peer the `peer-*` scenarios measure Portico against: Better Auth with email and password, as
 * its documentation sets it up, changed only where a fair comparison needs it. Shared by the child
 * that serves it (children/better-auth-peer.ts) and the orchestrator, which reports the settings.
 */

export const PEER_NAME = 'Better Auth';

/** The same size as Portico's pool (DB_POOL_SIZE default): neither side gets more connections. */
export const PEER_POOL_SIZE = 10;

// @node-rs/argon2 exports `Algorithm` as a const enum, which isolated modules cannot read.
const ARGON2ID = 2;

/** What differs from Better Auth's defaults, and why: reported with the results. */
export const PEER_SETTINGS: Record<string, string> = {
  'emailAndPassword.password':
    `argon2id m=${ARGON2_PARAMETERS.memoryCost}, t=${ARGON2_PARAMETERS.timeCost}, p=${ARGON2_PARAMETERS.parallelism} ` +
    "through @node-rs/argon2 (Portico's parameters; Better Auth's default is scrypt)",
  hashing:
    "as requests come, on libuv's thread pool (4 threads by default); Portico runs at most HASH_CONCURRENCY " +
    '(cores) at once and queues the rest',
  rateLimit: 'off (all load comes from 127.0.0.1; Portico runs with its per-IP limits raised)',
  database: `pg Pool of ${PEER_POOL_SIZE} on the same PostgreSQL, a database of its own; schema from getMigrations`,
  telemetry: 'off',
  server: 'node:http with toNodeHandler (better-auth/node), one process, sessions in the database (its default)',
};

export function peerVersion(): string {
  const file = new URL('../../node_modules/better-auth/package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

export function peerOptions(pool: pg.Pool, baseURL: string, secret: string): BetterAuthOptions {
  return {
    baseURL,
    secret,
    database: pool,
    emailAndPassword: {
      enabled: true,
      password: {
        hash: (password) => hash(password, { algorithm: ARGON2ID, ...ARGON2_PARAMETERS }),
        verify: ({ hash: stored, password }) => verify(stored, password),
      },
    },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
  };
}
