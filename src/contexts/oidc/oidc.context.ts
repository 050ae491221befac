import { defineContext } from '../../platform/context/context-manifest.js';
import {
  createClientRoute,
  deleteClientRoute,
  getClientRoute,
  listClientsRoute,
} from './infrastructure/http/clients.routes.js';
import { buildOidcApi } from './infrastructure/oidc-api.js';
import * as tables from './infrastructure/persistence/oidc.tables.js';

/**
 * The oidc context: Portico as an OpenID Provider. It owns the registered clients and
 * oidc-provider's storage; its writes are synchronous, like auth's own tables, so it has no
 * commands or events of its own. Its refusals are the platform's (`validation_failed`, `not_found`).
 */
export const oidcContext = defineContext({
  name: 'oidc',
  description: 'OAuth 2.1 and OpenID Connect: the registered clients and the provider’s storage',
  worker: () => ({}),
  commands: {},
  events: [],
  consumers: [],
  api: buildOidcApi,
  routes: [createClientRoute, listClientsRoute, getClientRoute, deleteClientRoute],
  tables,
  errors: {},
});
