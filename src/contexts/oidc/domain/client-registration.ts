import { ValidationError } from '../../../shared/domain/domain-error.js';

export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export const SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;

export type GrantType = (typeof GRANT_TYPES)[number];
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** What an admin asks for when registering an application. */
export interface ClientRequest {
  readonly name: string;
  readonly redirectUris?: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  /** A public client (an SPA, a mobile app) holds no secret: it proves itself with PKCE alone. */
  readonly public?: boolean;
  readonly grantTypes?: readonly string[];
  readonly scopes?: readonly string[];
  readonly tokenEndpointAuthMethod?: string;
  /** The admin's own application: its sign-ins ask no consent. */
  readonly firstParty?: boolean;
}

/** A registration every rule accepted, with the defaults filled in. */
export interface ClientRegistration {
  readonly name: string;
  readonly redirectUris: string[];
  readonly postLogoutRedirectUris: string[];
  readonly grantTypes: GrantType[];
  readonly scopes: string[];
  readonly tokenEndpointAuthMethod: AuthMethod;
  readonly firstParty: boolean;
}

/**
 * The rules of a registration (OAuth 2.1 §2, RFC 8252 for native apps): exact absolute redirect
 * URIs without fragments, https except on the loopback; a public client uses the code flow only,
 * authenticates with nothing but PKCE, and cannot use client credentials; a client with the code
 * flow needs a redirect URI. Every broken rule is reported at once.
 */
export function registration(request: ClientRequest): ClientRegistration {
  const errors: ValidationError[] = [];
  const complain = (field: string, message: string) => errors.push(new ValidationError(field, message));
  const name = request.name.trim();
  if (name.length < 1 || name.length > 100) complain('name', 'must be 1 to 100 characters');
  const grantTypes = [...new Set(request.grantTypes ?? ['authorization_code', 'refresh_token'])] as GrantType[];
  for (const grant of grantTypes)
    if (!GRANT_TYPES.includes(grant)) complain('grantTypes', `unknown grant type ${grant}`);
  const scopes = [...new Set(request.scopes ?? SCOPES)];
  for (const scope of scopes)
    if (!(SCOPES as readonly string[]).includes(scope)) complain('scopes', `unknown scope ${scope}`);
  const method = (request.public ? 'none' : (request.tokenEndpointAuthMethod ?? 'client_secret_basic')) as AuthMethod;
  if (!AUTH_METHODS.includes(method)) complain('tokenEndpointAuthMethod', `unknown method ${method}`);
  if (request.public && grantTypes.includes('client_credentials'))
    complain('grantTypes', 'a public client cannot use client_credentials');
  if (!request.public && method === 'none') complain('tokenEndpointAuthMethod', 'none is for public clients');
  const redirectUris = [...new Set(request.redirectUris ?? [])];
  const postLogoutRedirectUris = [...new Set(request.postLogoutRedirectUris ?? [])];
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0)
    complain('redirectUris', 'the code flow needs at least one');
  for (const uri of redirectUris) checkRedirect(uri, 'redirectUris', complain);
  for (const uri of postLogoutRedirectUris) checkRedirect(uri, 'postLogoutRedirectUris', complain);
  if (errors.length > 0) throw ValidationError.combine(errors);
  const firstParty = request.firstParty ?? false;
  return {
    name,
    redirectUris,
    postLogoutRedirectUris,
    grantTypes,
    scopes,
    tokenEndpointAuthMethod: method,
    firstParty,
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function checkRedirect(uri: string, field: string, complain: (field: string, message: string) => void): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return complain(field, `${uri} is not an absolute URI`);
  }
  if (url.hash || uri.includes('#')) complain(field, `${uri} has a fragment`);
  const web = url.protocol === 'https:' || url.protocol === 'http:';
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) complain(field, `${uri}: http only on the loopback`);
  // A native app's private-use scheme (com.example.app:/callback) is allowed, per RFC 8252 §7.1.
  if (!web && !/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol))
    complain(field, `${uri}: https, or a reverse-domain scheme`);
}
