import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { ClientRegistry } from '../clients/client-registry.js';
import { metadataOf } from '../clients/client-metadata.js';

/** What the storage keeps beside a payload: the keys oidc-provider finds rows by, and its expiry. */
export interface PayloadKeys {
  readonly grantId: string | null;
  readonly userCode: string | null;
  readonly uid: string | null;
  readonly expiresAt: Date | null;
}

export function keysOf(payload: AdapterPayload, expiresIn: number | undefined, now: Date): PayloadKeys {
  return {
    grantId: payload.grantId ?? null,
    userCode: payload.userCode ?? null,
    uid: payload.uid ?? null,
    // oidc-provider passes a lifetime in seconds for every expiring model; none for one that does not expire.
    expiresAt: typeof expiresIn === 'number' ? new Date(now.getTime() + expiresIn * 1000) : null,
  };
}

/** oidc-provider's `consumed`: the epoch second the code or token was spent (it checks only that it is set). */
export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

export const isLive = (expiresAt: Date | null, now: Date): boolean => expiresAt === null || expiresAt > now;

/** The model oidc-provider asks for clients: answered from the registry, never written through it. */
export const CLIENT_MODEL = 'Client';

const readOnly = (): Promise<never> =>
  Promise.reject(new Error('clients are registered through /api/v1/oauth/clients or `portico clients`'));

/** The Client model's adapter: each client's metadata from the registry; every write refused. */
export function clientAdapter(clients: ClientRegistry): Adapter {
  return {
    find: async (id) => {
      const client = await clients.find(id);
      return client ? metadataOf(client) : undefined;
    },
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    upsert: readOnly,
    consume: readOnly,
    destroy: readOnly,
    revokeByGrantId: readOnly,
  };
}
