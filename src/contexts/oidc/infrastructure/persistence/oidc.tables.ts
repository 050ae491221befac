import { boolean, index, jsonb, pgSchema, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdNow, instant } from '../../../../platform/db/pg-types.js';

export const oidcSchema = pgSchema('oidc');

/**
 * What oidc-provider stores (sessions, interactions, grants, codes, tokens), one row per model and
 * id. The provider's opaque tokens ARE their ids, so a row is keyed by the id's SHA-256 and its
 * payload keeps no `jti` (postgres-oidc-adapter.ts): nothing here can be presented as a token.
 */
export const payloadsTable = oidcSchema.table(
  'payloads',
  {
    model: text('model').notNull(),
    /** SHA-256 (base64url) of the provider's id: a row never holds a usable token. */
    idDigest: text('id_digest').notNull(),
    payload: jsonb('payload').notNull(),
    grantId: text('grant_id'),
    userCode: text('user_code'),
    uid: text('uid'),
    expiresAt: instant('expires_at'),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.idDigest] }),
    index('payloads_grant_id').on(t.grantId),
    index('payloads_uid').on(t.uid),
    index('payloads_expires_at').on(t.expiresAt),
  ],
);

/** Registered applications; a confidential client's secret is kept as its SHA-256 digest only. */
export const clientsTable = oidcSchema.table('clients', {
  clientId: text('client_id').primaryKey(),
  name: text('name').notNull(),
  secretDigest: text('secret_digest'),
  redirectUris: jsonb('redirect_uris').$type<string[]>().notNull(),
  postLogoutRedirectUris: jsonb('post_logout_redirect_uris').$type<string[]>().notNull(),
  grantTypes: jsonb('grant_types').$type<string[]>().notNull(),
  scopes: jsonb('scopes').$type<string[]>().notNull(),
  tokenEndpointAuthMethod: text('token_endpoint_auth_method').notNull(),
  firstParty: boolean('first_party').notNull().default(false),
  createdAt: createdNow(),
});

/** Each grant of the provider and the Portico session it lives by (PostgresSessionLinks). */
export const sessionLinksTable = oidcSchema.table(
  'session_links',
  {
    grantId: text('grant_id').primaryKey(),
    sessionUid: text('session_uid').notNull(),
    sessionId: uuid('session_id').notNull(),
    userId: uuid('user_id').notNull(),
    createdAt: createdNow(),
  },
  (t) => [index('session_links_session_uid').on(t.sessionUid), index('session_links_session_id').on(t.sessionId)],
);
