import { Type } from 'typebox';
import { ref } from '../../../../platform/http/schemas.js';
import { AUTH_METHODS, GRANT_TYPES, SCOPES } from '../clients/client-registry.js';

// Transport-level shape only (types, sizes that bound work, no unknown fields); the registry's
// rules (https redirect URIs, which grants a public client may use) report by field name.
const Uri = Type.String({ maxLength: 2000, examples: ['https://app.example.com/callback'] });
const Uris = Type.Array(Uri, { maxItems: 20 });
const Strings = (description: string, values: readonly string[]) =>
  Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10, description: `${description}: ${values.join(', ')}` });

export const CreateClientBody = Type.Object(
  {
    name: Type.String({ maxLength: 200, examples: ['Grafana'] }),
    redirectUris: Uris,
    public: Type.Optional(Type.Boolean({ description: 'No secret, `none` at the token endpoint, PKCE only' })),
    grantTypes: Type.Optional(Strings('Default `authorization_code`, `refresh_token`; among', GRANT_TYPES)),
    scopes: Type.Optional(Strings('Default all four; among', SCOPES)),
    tokenEndpointAuthMethod: Type.Optional(Type.String({ maxLength: 64, description: AUTH_METHODS.join(', ') })),
    postLogoutRedirectUris: Type.Optional(Uris),
    firstParty: Type.Optional(Type.Boolean({ description: "Portico's own application: no consent page" })),
  },
  { additionalProperties: false },
);

const ClientFields = {
  clientId: Type.String(),
  name: Type.String(),
  redirectUris: Type.Array(Type.String()),
  postLogoutRedirectUris: Type.Array(Type.String()),
  grantTypes: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  tokenEndpointAuthMethod: Type.String(),
  public: Type.Boolean(),
  firstParty: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
};

/** A client as the API shows it: never its secret, nor the secret's digest. */
export const OAuthClientSchema = Type.Object(ClientFields, { $id: 'OAuthClient', additionalProperties: false });

export const CreatedClientSchema = Type.Object(
  {
    ...ClientFields,
    clientSecret: Type.Optional(
      Type.String({ description: 'Confidential clients only; shown this once, never again' }),
    ),
  },
  { $id: 'CreatedOAuthClient', additionalProperties: false },
);

export const OAuthClientListSchema = Type.Object(
  { items: Type.Array(ref(OAuthClientSchema)) },
  { $id: 'OAuthClientList' },
);

export const ClientIdParams = Type.Object({ clientId: Type.String({ maxLength: 64 }) });
