import type { Adapter, AdapterPayload } from 'oidc-provider';
import { defineContext } from '../../platform/context/context-manifest.js';
import { ENDED_SESSIONS_QUEUE, EndedSessionsConsumer, SESSION_ENDED_EVENT } from './infrastructure/messaging/ended-sessions.consumer.js';
import { buildProviderApi, providerRoutes, type OidcPorts } from './infrastructure/oidc-api.js';
import { PostgresSessionLinks } from './infrastructure/persistence/postgres-session-links.js';
import type { OidcSettings } from './infrastructure/provider/provider-settings.js';

// SCRATCH until the storage lands: everything in memory.
const store = new Map<string, AdapterPayload>();
export const scratchClients = new Map<string, AdapterPayload>();
const scratchAdapter = (name: string): Adapter => ({
  upsert: async (id, payload) => void store.set(`${name}:${id}`, payload),
  find: async (id) => (name === 'Client' ? scratchClients.get(id) : store.get(`${name}:${id}`)),
  findByUserCode: async () => undefined,
  findByUid: async (uid) => [...store.entries()].find(([k, v]) => k.startsWith(`${name}:`) && v.uid === uid)?.[1],
  consume: async (id) => void Object.assign(store.get(`${name}:${id}`) ?? {}, { consumed: Math.floor(Date.now() / 1000) }),
  destroy: async (id) => void store.delete(`${name}:${id}`),
  revokeByGrantId: async (grantId) => {
    for (const [k, v] of store) if (v.grantId === grantId) store.delete(k);
  },
});

/**
 * The OpenID provider: any OIDC application signs its users in with Portico through the hosted
 * pages; its sign-ins are Portico sessions, lent by auth (sign-in) and users (profiles).
 */
export const oidcContext = (settings: OidcSettings, ports: OidcPorts) =>
  defineContext({
    name: 'oidc',
    description: 'OpenID Connect provider: discovery, authorization code + PKCE, tokens, hosted sign-in pages, clients',
    worker: (platform) => ({
      endedSessions: new EndedSessionsConsumer(platform.database, new PostgresSessionLinks(platform.database), async (grantId) =>
        scratchAdapter('Grant').revokeByGrantId(grantId),
      ),
    }),
    commands: {},
    events: [],
    consumers: [
      { queue: ENDED_SESSIONS_QUEUE, subscribesTo: [SESSION_ENDED_EVENT], handler: (w) => (d) => w.endedSessions.handle(d) },
    ],
    api: async (platform) => ({ provider: await buildProviderApi(platform, settings, ports, scratchAdapter) }),
    routes: [providerRoutes],
    tables: {},
    errors: {},
  });
