import type { AdapterFactory } from 'oidc-provider';
import type { ApiSide } from '../../../platform/context/context-manifest.js';
import type { PlatformServices } from '../../../platform/context/platform-services.js';
import { routesOf } from '../../../platform/http/route.js';
import { metadataOf } from './clients/client-metadata.js';
import type { ClientRegistry } from './clients/client-registry.js';
import { PostgresClientRegistry } from './clients/postgres-client-registry.js';
import { postgresOidcAdapter } from './persistence/postgres-oidc-adapter.js';
import { buildProviderApi, type OidcPorts, type ProviderApi } from './provider/provider-api.js';
import type { OidcSettings } from './provider/provider-settings.js';

/** What the oidc routes need from the API role: the clients, and the provider mounted beside them. */
export interface OidcApi extends ApiSide {
  readonly platform: PlatformServices;
  readonly clients: ClientRegistry;
  /** oidc-provider's `adapter` option: its storage on Portico's database. */
  readonly adapter: AdapterFactory;
  readonly provider: ProviderApi;
}

/** Declares an oidc route: `route({ method, url, schema, handler: (api) => … })`. */
export const route = routesOf<OidcApi>();

export async function buildOidcApi(
  platform: PlatformServices,
  settings: OidcSettings,
  ports: OidcPorts,
): Promise<OidcApi> {
  const clients = platform.instrument('oidc.clients', new PostgresClientRegistry(platform.database, platform.clock));
  const adapter = postgresOidcAdapter(platform.database, {
    metadataOf: async (clientId) => {
      const client = await clients.find(clientId);
      return client ? metadataOf(client) : undefined;
    },
  });
  const provider = await buildProviderApi(platform, settings, ports, adapter);
  return { platform, clients, adapter, provider, stop: provider.stop };
}
