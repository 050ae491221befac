import { randomBytes } from 'node:crypto';
import { ValidationError } from '../../../../shared/domain/domain-error.js';
import {
  AUTH_METHODS,
  GRANT_TYPES,
  SCOPES,
  secretDigest,
  type CreatedClient,
  type GrantType,
  type NewClient,
  type TokenEndpointAuthMethod,
} from './client-registry.js';

const DEFAULT_GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'refresh_token'];
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks what an admin asked for and makes the client: every rule broken is reported at once (400
 * `validation_failed`, field by field). A confidential client gets a secret; only its digest is kept.
 */
export function newClient(input: NewClient, now: Date): CreatedClient {
  const problems: ValidationError[] = [];
  const isPublic = input.public === true;
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) problems.push(new ValidationError('name', 'must be 1 to 100 characters'));
  const grantTypes = subset('grantTypes', input.grantTypes ?? DEFAULT_GRANT_TYPES, GRANT_TYPES, problems);
  const scopes = subset('scopes', input.scopes ?? SCOPES, SCOPES, problems);
  problems.push(...grantRules(grantTypes, isPublic, input.redirectUris.length));
  uriProblems('redirectUris', input.redirectUris, problems);
  uriProblems('postLogoutRedirectUris', input.postLogoutRedirectUris ?? [], problems);
  const tokenEndpointAuthMethod = authMethod(input.tokenEndpointAuthMethod, isPublic, problems);
  if (problems.length > 0) throw ValidationError.combine(problems);
  const clientSecret = isPublic ? undefined : randomBytes(32).toString('base64url');
  const client = {
    clientId: randomBytes(16).toString('base64url'),
    name,
    secretDigest: clientSecret === undefined ? null : secretDigest(clientSecret),
    redirectUris: [...input.redirectUris],
    postLogoutRedirectUris: [...(input.postLogoutRedirectUris ?? [])],
    grantTypes,
    scopes,
    tokenEndpointAuthMethod,
    firstParty: input.firstParty === true,
    createdAt: now,
  };
  return clientSecret === undefined ? { client } : { client, clientSecret };
}

function subset<T extends string>(
  field: string,
  values: readonly string[],
  allowed: readonly T[],
  problems: ValidationError[],
): T[] {
  const unknown = values.filter((value) => !(allowed as readonly string[]).includes(value));
  if (unknown.length > 0) problems.push(new ValidationError(field, `must be among ${allowed.join(', ')}`));
  else if (new Set(values).size !== values.length) problems.push(new ValidationError(field, 'must not repeat a value'));
  else if (values.length === 0) problems.push(new ValidationError(field, 'must not be empty'));
  return [...new Set(values)].filter((value): value is T => (allowed as readonly string[]).includes(value));
}

function grantRules(grantTypes: readonly GrantType[], isPublic: boolean, redirectUris: number): ValidationError[] {
  const problems: ValidationError[] = [];
  const code = grantTypes.includes('authorization_code');
  // A refresh token is only ever issued with an authorization code.
  if (grantTypes.includes('refresh_token') && !code)
    problems.push(new ValidationError('grantTypes', 'refresh_token needs authorization_code'));
  if (isPublic && grantTypes.includes('client_credentials'))
    problems.push(new ValidationError('grantTypes', 'a public client cannot use client_credentials'));
  if (isPublic && grantTypes.length > 0 && !code)
    problems.push(new ValidationError('grantTypes', 'a public client must use authorization_code'));
  if (code && redirectUris === 0)
    problems.push(new ValidationError('redirectUris', 'authorization_code needs at least one redirect URI'));
  return problems;
}

function uriProblems(field: string, uris: readonly string[], problems: ValidationError[]): void {
  for (const uri of uris) {
    const refusal = redirectUriRefusal(uri);
    if (refusal) problems.push(new ValidationError(field, `${uri}: ${refusal}`));
  }
  if (new Set(uris).size !== uris.length) problems.push(new ValidationError(field, 'must not repeat a URI'));
}

/** Why a redirect URI is refused, or null: absolute https, or http to this machine (development). */
export function redirectUriRefusal(uri: string): string | null {
  if (!URL.canParse(uri)) return 'must be an absolute URL';
  const url = new URL(uri);
  // A fragment never reaches the server, and RFC 6749 §3.1.2 forbids one.
  if (uri.includes('#')) return 'must not have a fragment';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return 'must be https (http only for localhost or 127.0.0.1)';
}

function authMethod(
  asked: string | undefined,
  isPublic: boolean,
  problems: ValidationError[],
): TokenEndpointAuthMethod {
  if (isPublic) {
    if (asked !== undefined && asked !== 'none')
      problems.push(new ValidationError('tokenEndpointAuthMethod', 'a public client authenticates with none'));
    return 'none';
  }
  if (asked === undefined) return 'client_secret_basic';
  if (asked === 'none' || !(AUTH_METHODS as readonly string[]).includes(asked)) {
    problems.push(
      new ValidationError(
        'tokenEndpointAuthMethod',
        'must be client_secret_basic or client_secret_post (or public: true)',
      ),
    );
  }
  return asked as TokenEndpointAuthMethod;
}
