import { createHash, timingSafeEqual } from 'node:crypto';

export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export const SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;

export type GrantType = (typeof GRANT_TYPES)[number];
export type Scope = (typeof SCOPES)[number];
export type TokenEndpointAuthMethod = (typeof AUTH_METHODS)[number];

/** A registered OAuth client. A confidential one holds its secret's SHA-256 digest, never the secret. */
export interface OAuthClient {
  readonly clientId: string;
  readonly name: string;
  /** Hex SHA-256 of the secret; null for a public client. */
  readonly secretDigest: string | null;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly grantTypes: readonly GrantType[];
  readonly scopes: readonly Scope[];
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** Portico's own applications: the consent page is skipped for them. */
  readonly firstParty: boolean;
  readonly createdAt: Date;
}

/** What an admin asks for; everything but the name and the redirect URIs has a default. */
export interface NewClient {
  readonly name: string;
  readonly redirectUris: readonly string[];
  /** A client that cannot keep a secret (a SPA, a native app): no secret, PKCE only. */
  readonly public?: boolean;
  readonly grantTypes?: readonly string[];
  readonly scopes?: readonly string[];
  readonly tokenEndpointAuthMethod?: string;
  readonly postLogoutRedirectUris?: readonly string[];
  readonly firstParty?: boolean;
}

/** A new client, and its secret: the only time the secret exists outside the caller's hands. */
export interface CreatedClient {
  readonly client: OAuthClient;
  readonly clientSecret?: string;
}

/** The clients oidc-provider may serve, registered by admins (API or CLI). */
export interface ClientRegistry {
  /** Validates (ValidationError, answered 400) and stores a client. */
  create(input: NewClient): Promise<CreatedClient>;
  find(clientId: string): Promise<OAuthClient | null>;
  /** Oldest first. */
  list(): Promise<OAuthClient[]>;
  /** Removes the client and what oidc-provider stored for it (grants, tokens, codes); false if unknown. */
  delete(clientId: string): Promise<boolean>;
  /** Whether `presented` is the client's secret, compared digest to digest in constant time. */
  verifySecret(client: OAuthClient, presented: string): boolean;
}

/** Hex SHA-256: how a secret is kept, and what oidc-provider is handed as `client_secret`. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether `presented` hashes to `storedDigest`, compared in constant time (both are 32-byte digests). */
export function digestMatches(storedDigest: string, presented: string): boolean {
  const expected = Buffer.from(storedDigest, 'hex');
  const given = Buffer.from(secretDigest(presented), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function verifyClientSecret(client: OAuthClient, presented: string): boolean {
  return client.secretDigest !== null && digestMatches(client.secretDigest, presented);
}
