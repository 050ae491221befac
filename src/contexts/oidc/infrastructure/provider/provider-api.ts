import { digestMatches } from '../clients/client-registry.js';
import type { AdapterFactory } from 'oidc-provider';
import type { PlatformServices } from '../../../../platform/context/platform-services.js';
import { registerInteractionRoutes } from '../http/interaction.routes.js';
import { registerProviderRoutes } from '../http/provider.routes.js';
import { HostedPages } from '../pages/hosted-pages.js';
import { PostgresSessionLinks } from '../persistence/postgres-session-links.js';
import { sweepExpiredOidcPayloads } from '../persistence/postgres-oidc-adapter.js';
import { ProviderHandle } from './provider-handle.js';
import type { OidcSettings } from './provider-settings.js';
import type { AccountProfiles, SignIn } from '../sign-in.port.js';

/** Expired codes, interactions and tokens read as absent at once; their rows go this often. */
const SWEEP_INTERVAL_MS = 10 * 60_000;

/** The ports the provider is lent by the contexts that sign people in and own their profiles. */
export interface OidcPorts {
  readonly signIn: (platform: PlatformServices) => Promise<SignIn>;
  readonly profiles: (platform: PlatformServices) => AccountProfiles;
}

/** The provider's graph for the API role: the protocol engine, its hosted pages, its links to sessions. */
export async function buildProviderApi(
  platform: PlatformServices,
  settings: OidcSettings,
  ports: OidcPorts,
  adapter: AdapterFactory,
) {
  const signIn = await ports.signIn(platform);
  const links = new PostgresSessionLinks(platform.database);
  const pages = new HostedPages();
  const deps = { settings, signIn, profiles: ports.profiles(platform), links, adapter, pages };
  const provider = new ProviderHandle({ ...deps, secretMatches: digestMatches, logger: platform.logger });
  // Built at the first OpenID request (ProviderHandle.current): its configuration comes from
  // settings the start has checked; a build that fails answers that request 500 and is retried.
  const sweeper = setInterval(() => {
    sweepExpiredOidcPayloads(platform.database).catch((error: unknown) =>
      platform.logger.warn({ err: error }, 'could not sweep expired OpenID provider rows'),
    );
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();
  return { provider, pages, signIn, links, stop: () => clearInterval(sweeper) };
}

export type ProviderApi = Awaited<ReturnType<typeof buildProviderApi>>;

/** The provider's endpoints and its hosted steps, on the API's server. */
export const providerRoutes = {
  register: (app: Parameters<typeof registerProviderRoutes>[0], api: { provider: ProviderApi }) => {
    registerProviderRoutes(app, api.provider.provider);
    registerInteractionRoutes(app, api.provider);
  },
};
