import type { AdapterFactory } from 'oidc-provider';
import type { ApiSide } from '../../../platform/context/context-manifest.js';
import type { PlatformServices } from '../../../platform/context/platform-services.js';
import { routesOf } from '../../../platform/http/route.js';
import type { ClientRegistry } from './clients/client-registry.js';
import { PostgresClientRegistry } from './clients/postgres-client-registry.js';
import { postgresOidcAdapter, sweepExpiredOidcPayloads } from './persistence/postgres-oidc-adapter.js';

/** What the oidc routes (and, next, the provider mounted beside them) need from the API role. */
export interface OidcApi extends ApiSide {
  readonly platform: PlatformServices;
  readonly clients: ClientRegistry;
  /** oidc-provider's `adapter` option. */
  readonly adapter: AdapterFactory;
  /** Deletes the payloads that expired before `now`; answers how many (to call on a timer). */
  sweepExpired(now: Date): Promise<number>;
}

/** Declares an oidc route: `route({ method, url, schema, handler: (api) => … })`. */
export const route = routesOf<OidcApi>();

export async function buildOidcApi(platform: PlatformServices): Promise<OidcApi> {
  const clients = platform.instrument('oidc.clients', new PostgresClientRegistry(platform.database, platform.clock));
  return {
    platform,
    clients,
    adapter: postgresOidcAdapter(platform.database, clients, platform.clock),
    sweepExpired: (now) => sweepExpiredOidcPayloads(platform.database, now),
  };
}
