import { defineContext } from '../../platform/context/context-manifest.js';
import {
  createClientRoute,
  deleteClientRoute,
  getClientRoute,
  listClientsRoute,
} from './infrastructure/http/clients.routes.js';
import {
  ENDED_SESSIONS_QUEUE,
  EndedSessionsConsumer,
  SESSION_ENDED_EVENT,
} from './infrastructure/messaging/ended-sessions.consumer.js';
import { buildOidcApi } from './infrastructure/oidc-api.js';
import { revokeOidcGrant } from './infrastructure/persistence/postgres-oidc-adapter.js';
import { PostgresSessionLinks } from './infrastructure/persistence/postgres-session-links.js';
import * as tables from './infrastructure/persistence/oidc.tables.js';
import { providerRoutes, type OidcPorts } from './infrastructure/provider/provider-api.js';
import type { OidcSettings } from './infrastructure/provider/provider-settings.js';

/**
 * The oidc context: Portico as an OpenID Provider. Any OIDC application signs its users in through
 * the hosted pages; each sign-in is a Portico session, lent by auth (the sign-in) and users (the
 * profiles) through ports. It owns the registered clients and oidc-provider's storage; its writes
 * are synchronous, like auth's own tables, so it has no commands or events of its own. Its
 * refusals are the platform's (`validation_failed`, `not_found`) and the RFCs' own.
 */
export const oidcContext = (settings: OidcSettings, ports: OidcPorts) =>
  defineContext({
    name: 'oidc',
    description:
      'OpenID Connect provider: discovery, authorization code + PKCE, tokens, hosted sign-in pages, OAuth clients',
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
    api: (platform) => buildOidcApi(platform, settings, ports),
    routes: [createClientRoute, listClientsRoute, getClientRoute, deleteClientRoute, providerRoutes],
    tables,
    errors: {},
  });
