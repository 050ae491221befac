import { hkdfSync } from 'node:crypto';
import type Provider from 'oidc-provider';
import type {
  AdapterFactory,
  Configuration,
  KoaContextWithOIDC,
  interactionPolicy as interactionPolicyModule,
} from 'oidc-provider';
import { loadOidcProvider } from './oidc-provider-library.js';
import type { JWK } from 'jose';
import type { Logger } from '../../../../platform/logging/logger.js';
import type { SessionLinks } from '../persistence/postgres-session-links.js';
import type { HostedPages } from '../pages/hosted-pages.js';
import type { AccountProfiles, SignIn } from '../sign-in.port.js';
import { accountFinder } from './accounts.js';
import { logoutPages, renderProtocolError } from './provider-pages.js';
import { INTERACTION_PREFIX, OIDC_CLAIMS, OIDC_ROUTES, OIDC_SCOPES, type OidcSettings } from './provider-settings.js';

type InteractionPolicy = typeof interactionPolicyModule;

export interface ProviderDeps {
  readonly settings: OidcSettings;
  readonly signIn: SignIn;
  readonly profiles: AccountProfiles;
  readonly links: SessionLinks;
  readonly adapter: AdapterFactory;
  readonly pages: HostedPages;
  /** Whether a presented client secret is the one whose digest the client's metadata holds. */
  readonly secretMatches: (storedDigest: string, presented: string) => boolean;
  readonly logger: Logger;
}

/** What an interaction's result carries besides oidc-provider's own keys: the Portico session. */
export interface PorticoResult {
  readonly portico?: { readonly sessionId: string };
}

/**
 * oidc-provider (panva, OpenID-certified) configured as Portico's provider: authorization code
 * with PKCE S256 only, refresh rotation with reuse detection, client credentials, introspection,
 * revocation, RP-initiated logout; ID tokens signed with Portico's own keys; every step a person
 * sees is a hosted page of ours.
 */
export async function createProvider(deps: ProviderDeps, keys: JWK[]): Promise<Provider> {
  const library = await loadOidcProvider();
  const provider = new library.Provider(deps.settings.issuer, configuration(deps, keys, library.interactionPolicy));
  provider.proxy = deps.settings.trustProxy;
  // Client secrets are stored as SHA-256 digests: the presented one is hashed, then compared.
  provider.Client.prototype.compareClientSecret = function compare(this: { clientSecret?: string }, presented) {
    return Promise.resolve(this.clientSecret !== undefined && deps.secretMatches(this.clientSecret, presented));
  };
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => void endPorticoSession(deps, ctx));
  provider.on('server_error', (_ctx, error) => deps.logger.error({ err: error }, 'openid provider error'));
  return provider;
}

function configuration(deps: ProviderDeps, keys: JWK[], prompts: InteractionPolicy): Configuration {
  const { settings } = deps;
  const sessionSeconds = settings.refreshTokenTtlSeconds;
  return {
    adapter: deps.adapter,
    findAccount: accountFinder(deps),
    jwks: { keys: keys as NonNullable<Configuration['jwks']>['keys'] },
    cookies: {
      keys: cookieKeys(keys),
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    routes: OIDC_ROUTES,
    scopes: [...OIDC_SCOPES],
    claims: OIDC_CLAIMS,
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: (keys[0]?.alg ?? 'RS256') as 'RS256',
    },
    extraClientMetadata: { properties: ['first_party'] },
    // A browser application (an SPA) may call the token and userinfo endpoints from its own origin.
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256', 'EdDSA'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A client learns about, and revokes, only the tokens issued to it.
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, ...logoutPages(deps.pages) },
    },
    interactions: {
      url: (_ctx, interaction) => `${INTERACTION_PREFIX}/${interaction.uid}`,
      policy: policy(deps, prompts),
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: settings.accessTokenTtlSeconds,
      ClientCredentials: settings.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: settings.accessTokenTtlSeconds,
      Interaction: 10 * 60,
      // One lifetime from the sign-in, across rotations: a Portico session's, no longer.
      RefreshToken: (ctx) => ctx?.oidc?.entities.RotatedRefreshToken?.remainingTTL ?? sessionSeconds,
      Session: sessionSeconds,
      Grant: sessionSeconds,
    },
    renderError: renderProtocolError(deps.pages),
  };
}

/**
 * The standard prompts, and one more reason to ask for a sign-in: the Portico session the
 * browser signed in with has ended (logged out through the API, revoked, deactivated), even though
 * the provider's own cookie still names the account.
 */
function policy({ links, signIn }: ProviderDeps, interactionPolicy: InteractionPolicy) {
  const prompts = interactionPolicy.base();
  const ended = new interactionPolicy.Check(
    'portico_session_ended',
    'the Portico session of this browser has ended',
    async (ctx) => {
      const { session, result } = ctx.oidc;
      if (!session?.accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const sessionId =
        (result as PorticoResult | undefined)?.portico?.sessionId ?? (await links.sessionOfBrowser(session.uid));
      return !sessionId || !(await signIn.isActive(sessionId));
    },
  );
  prompts.get('login')!.checks.add(ended);
  return prompts;
}

/** Cookie-signing keys derived from the signing keys: every API process agrees, rotation included. */
export function cookieKeys(keys: readonly JWK[]): string[] {
  return keys.map((key) =>
    Buffer.from(hkdfSync('sha256', JSON.stringify(key), 'portico-oidc', 'cookies', 32)).toString('base64url'),
  );
}

/** RP-initiated logout ends the Portico session the browser signed in with, as a logout does. */
async function endPorticoSession({ links, signIn, logger }: ProviderDeps, ctx: KoaContextWithOIDC): Promise<void> {
  const uid = ctx.oidc.session?.uid;
  // "No, stay signed in" ends only the client's grant; the person stays signed in.
  if (!uid || !(ctx.oidc.params as { logout?: string } | undefined)?.logout) return;
  try {
    const sessionId = await links.sessionOfBrowser(uid);
    if (sessionId) await signIn.end(sessionId);
  } catch (error) {
    logger.error({ err: error }, 'could not end the Portico session of an OpenID logout');
  }
}
