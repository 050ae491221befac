import type { AdapterPayload } from 'oidc-provider';
import { postgresOidcAdapter, revokeOidcGrant } from './infrastructure/persistence/postgres-oidc-adapter.js';
import * as tables from './infrastructure/persistence/oidc.tables.js';
import { defineContext } from '../../platform/context/context-manifest.js';
import {
  ENDED_SESSIONS_QUEUE,
  EndedSessionsConsumer,
  SESSION_ENDED_EVENT,
} from './infrastructure/messaging/ended-sessions.consumer.js';
import { buildProviderApi, providerRoutes, type OidcPorts } from './infrastructure/oidc-api.js';
import { PostgresSessionLinks } from './infrastructure/persistence/postgres-session-links.js';
import type { OidcSettings } from './infrastructure/provider/provider-settings.js';

// SCRATCH until the client registry lands.
export const scratchClients = new Map<string, AdapterPayload>();
const scratchSource = { metadataOf: async (id: string) => scratchClients.get(id) };

/**
 * The OpenID provider: any OIDC application signs its users in with Portico through the hosted
 * pages; its sign-ins are Portico sessions, lent by auth (sign-in) and users (profiles).
 */
export const oidcContext = (settings: OidcSettings, ports: OidcPorts) =>
  defineContext({
    name: 'oidc',
    description: 'OpenID Connect provider: discovery, authorization code + PKCE, tokens, hosted sign-in pages, clients',
    worker: (platform) => ({
      endedSessions: new EndedSessionsConsumer(
        platform.database,
        new PostgresSessionLinks(platform.database),
        (grantId) => revokeOidcGrant(platform.database, grantId),
      ),
    }),
    commands: {},
    events: [],
    consumers: [
      {
        queue: ENDED_SESSIONS_QUEUE,
        subscribesTo: [SESSION_ENDED_EVENT],
        handler: (w) => (d) => w.endedSessions.handle(d),
      },
    ],
    api: async (platform) => ({
      provider: await buildProviderApi(
        platform,
        settings,
        ports,
        postgresOidcAdapter(platform.database, scratchSource),
      ),
    }),
    routes: [providerRoutes],
    tables,
    errors: {},
  });
