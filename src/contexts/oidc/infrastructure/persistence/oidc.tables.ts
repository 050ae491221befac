import { boolean, index, jsonb, pgSchema, primaryKey, text } from 'drizzle-orm/pg-core';
import { instant } from '../../../../platform/db/pg-types.js';

export const oidcSchema = pgSchema('oidc');

/**
 * oidc-provider's models (Session, Grant, AccessToken, AuthorizationCode, RefreshToken,
 * Interaction, …), one row each. The payload is the library's own; the columns beside it are the
 * keys it looks rows up by, and when a row stops counting.
 */
export const payloadsTable = oidcSchema.table(
  'payloads',
  {
    model: text('model').notNull(),
    id: text('id').notNull(),
    payload: jsonb('payload').notNull(),
    grantId: text('grant_id'),
    userCode: text('user_code'),
    uid: text('uid'),
    expiresAt: instant('expires_at'),
    consumedAt: instant('consumed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index('payloads_grant_id_idx').on(t.grantId),
    index('payloads_uid_idx').on(t.uid),
    index('payloads_user_code_idx').on(t.userCode),
    index('payloads_expires_at_idx').on(t.expiresAt),
  ],
);

/**
 * Registered OAuth clients. A confidential client's secret is kept as its SHA-256 digest only:
 * the secret itself is shown once, when the client is created.
 */
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
  createdAt: instant('created_at').notNull().defaultNow(),
});
