import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgSchema, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { whereNotNull, whereNull } from '../../../../platform/db/partial-index.js';
import { createdNow, instant, lifetimeColumns, pgSnapshot, xid8 } from '../../../../platform/db/pg-types.js';
import { SIGNING_ALGORITHMS } from '../tokens/signing-algorithm.js';

export const authSchema = pgSchema('auth');

export const sessionsTable = authSchema.table(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    roles: text('roles').array().notNull(),
    currentTokenHash: text('current_token_hash').notNull(),
    previousTokenHash: text('previous_token_hash'),
    rotatedAt: instant('rotated_at'),
    createdAt: instant('created_at').notNull(),
    /** Null on sessions made before it existed: their last use is shown as their creation. */
    lastUsedAt: instant('last_used_at'),
    userAgent: text('user_agent'),
    ip: text('ip'),
    mfa: boolean('mfa').notNull().default(false),
    /** Sessions made before it existed were all password sign-ins. */
    amr: text('amr')
      .array()
      .notNull()
      .default(sql`'{pwd}'::text[]`),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
    revokedReason: text('revoked_reason'),
    /** The transaction that revoked it: API processes prove they have read it (revocation_readers). */
    revokedXid: xid8('revoked_xid'),
    version: integer('version').notNull(),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId).where(whereNull(t.revokedAt)),
    index('sessions_revoked_idx').on(t.revokedAt).where(whereNotNull(t.revokedAt)),
    index('sessions_revoked_xid_idx').on(t.revokedXid).where(whereNotNull(t.revokedXid)),
    index('sessions_user_revoked_idx').on(t.userId).where(whereNotNull(t.revokedXid)),
  ],
);

/**
 * Every API process that checks bearer tokens, and the snapshot its revocation cache last read
 * with: a revocation is known everywhere once every live reader's snapshot sees its transaction.
 */
export const revocationReadersTable = authSchema.table('revocation_readers', {
  readerId: text('reader_id').primaryKey(),
  snapshot: pgSnapshot('snapshot').notNull(),
  heartbeatAt: instant('heartbeat_at').notNull().defaultNow(),
});

/** Every refresh-token digest a session issued: an old one presented again is a reuse. */
export const refreshTokensTable = authSchema.table(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    sessionId: uuid('session_id').notNull(),
    issuedAt: instant('issued_at').notNull().defaultNow(),
  },
  (t) => [index('refresh_tokens_session_idx').on(t.sessionId)],
);

/**
 * Access-token signing keys. `algorithm` is the only one a key signs and verifies with; every key
 * made before JWT_ALGORITHM existed is EdDSA, and holds 'EdDSA' here.
 */
export const signingKeysTable = authSchema.table(
  'signing_keys',
  {
    kid: text('kid').primaryKey(),
    algorithm: text('algorithm').notNull(),
    publicJwk: jsonb('public_jwk').notNull(),
    privateJwk: jsonb('private_jwk').notNull(),
    createdAt: createdNow(),
    retiredAt: instant('retired_at'),
  },
  (t) => [
    check(
      'signing_keys_algorithm_check',
      sql`${t.algorithm} in (${sql.raw(SIGNING_ALGORITHMS.map((a) => `'${a}'`).join(', '))})`,
    ),
  ],
);

/** Consecutive failed logins per submitted email, and the lock they earned. */
export const loginAttemptsTable = authSchema.table('login_attempts', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lockedUntil: instant('locked_until'),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

/** Fixed-window counters for the per-IP limits; in the database so every API process shares them. */
export const rateLimitsTable = authSchema.table(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: instant('window_start').notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/**
 * Tokens mailed to users (verification, reset, change of address), by SHA-256 digest only: the
 * token itself is in the mail and nowhere else. A used or voided token keeps its row until it
 * expires, so that a second use finds it spent.
 */
export const emailTokensTable = authSchema.table(
  'email_tokens',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    newEmail: text('new_email'),
    ...lifetimeColumns(),
    usedAt: instant('used_at'),
    voidedAt: instant('voided_at'),
  },
  (t) => [
    index('email_tokens_outstanding_idx')
      .on(t.userId, t.kind)
      .where(sql`${t.usedAt} IS NULL AND ${t.voidedAt} IS NULL`),
  ],
);

/**
 * One TOTP factor per user: pending until its first code confirms it. The secret is sealed
 * (AES-256-GCM, ENCRYPTION_KEYS): it must be read back to check codes, so it cannot be hashed.
 * `last_used_step` is the 30 s time step of the last accepted code: a code is accepted once.
 */
export const totpFactorsTable = authSchema.table('totp_factors', {
  userId: uuid('user_id').primaryKey(),
  sealedSecret: text('sealed_secret').notNull(),
  createdAt: instant('created_at').notNull(),
  confirmedAt: instant('confirmed_at'),
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
});

/** The user's current recovery codes, by digest only; a used one keeps its row, spent. */
export const recoveryCodesTable = authSchema.table(
  'recovery_codes',
  {
    userId: uuid('user_id').notNull(),
    codeHash: text('code_hash').notNull(),
    createdAt: instant('created_at').notNull(),
    usedAt: instant('used_at'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/** A password that verified for an account with a second factor: the `mfaToken`, by digest, single use. */
export const mfaChallengesTable = authSchema.table(
  'mfa_challenges',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id').notNull(),
    ...lifetimeColumns(),
    usedAt: instant('used_at'),
  },
  (t) => [index('mfa_challenges_expires_idx').on(t.expiresAt)],
);

/**
 * Registered passkeys (WebAuthn credentials): public keys only, the private key never leaves the
 * authenticator. `counter` is the authenticator's signature counter at the last sign-in.
 */
export const passkeysTable = authSchema.table(
  'passkeys',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    credentialId: text('credential_id').notNull().unique(),
    publicKey: text('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull(),
    transports: text('transports').array().notNull(),
    name: text('name').notNull(),
    createdAt: instant('created_at').notNull(),
    lastUsedAt: instant('last_used_at'),
  },
  (t) => [index('passkeys_user_idx').on(t.userId)],
);

/** Challenges of passkey registrations and sign-ins, by digest; deleted when spent, swept when expired. */
export const passkeyChallengesTable = authSchema.table(
  'passkey_challenges',
  {
    challengeHash: text('challenge_hash').primaryKey(),
    ceremony: text('ceremony').notNull(),
    userId: uuid('user_id'),
    ...lifetimeColumns(),
  },
  (t) => [index('passkey_challenges_expires_idx').on(t.expiresAt)],
);
