import type { ClientMetadata } from 'oidc-provider';
import type { OAuthClient } from './client-registry.js';

/** oidc-provider's client metadata, with Portico's one extra property (registered as extraClientMetadata). */
export interface PorticoClientMetadata extends ClientMetadata {
  readonly first_party: boolean;
}

/**
 * How oidc-provider sees a registered client. `client_secret` is the digest, not the secret:
 * the provider's compareClientSecret hashes what a client presents before comparing.
 */
export function metadataOf(client: OAuthClient): PorticoClientMetadata {
  return {
    client_id: client.clientId,
    ...(client.secretDigest !== null && { client_secret: client.secretDigest }),
    client_name: client.name,
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...client.postLogoutRedirectUris],
    grant_types: [...client.grantTypes],
    response_types: client.grantTypes.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    scope: client.scopes.join(' '),
    first_party: client.firstParty,
  };
}
