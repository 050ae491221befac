import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { ClientRegistry } from '../clients/client-registry.js';
import { CLIENT_MODEL, clientAdapter, epochSeconds, isLive, keysOf, type PayloadKeys } from './oidc-payloads.js';

interface Row extends PayloadKeys {
  readonly model: string;
  readonly id: string;
  payload: AdapterPayload;
}

/**
 * oidc-provider's storage in memory, for unit tests: the behaviour of `postgresOidcAdapter`
 * (the contract suite runs both). Payloads are copied in and out, as a database would.
 */
export class MemoryOidcStore {
  private readonly rows = new Map<string, Row>();

  constructor(
    private readonly clients: ClientRegistry,
    private readonly clock: Clock,
  ) {}

  readonly adapter: AdapterFactory = (model) =>
    model === CLIENT_MODEL ? clientAdapter(this.clients) : this.modelAdapter(model);

  /** Deletes the rows whose expiry passed; answers how many. */
  sweepExpired(now: Date): Promise<number> {
    let swept = 0;
    for (const [key, row] of this.rows) {
      if (!isLive(row.expiresAt, now)) {
        this.rows.delete(key);
        swept += 1;
      }
    }
    return Promise.resolve(swept);
  }

  /** Whether a row is stored, expired or not (what a sweep leaves or removes). */
  holds(model: string, id: string): boolean {
    return this.rows.has(`${model}:${id}`);
  }

  /** What deleting a client removes: the rows that name it (see PostgresClientRegistry.delete). */
  forgetClient(clientId: string): void {
    for (const [key, row] of this.rows) {
      const params = row.payload.params as { client_id?: unknown } | undefined;
      if (row.payload.clientId === clientId || params?.client_id === clientId) this.rows.delete(key);
    }
  }

  private modelAdapter(model: string): Adapter {
    const key = (id: string) => `${model}:${id}`;
    const live = (row: Row | undefined) =>
      row && isLive(row.expiresAt, this.clock.now()) ? structuredClone(row.payload) : undefined;
    const findBy = (field: 'uid' | 'userCode', value: string) =>
      live([...this.rows.values()].find((row) => row.model === model && row[field] === value));
    return {
      upsert: async (id, payload, expiresIn) => {
        const keys = keysOf(payload, expiresIn, this.clock.now());
        this.rows.set(key(id), { model, id, payload: structuredClone(payload), ...keys });
      },
      find: async (id) => live(this.rows.get(key(id))),
      findByUid: async (uid) => findBy('uid', uid),
      findByUserCode: async (userCode) => findBy('userCode', userCode),
      consume: async (id) => {
        const row = this.rows.get(key(id));
        if (row) row.payload = { ...row.payload, consumed: epochSeconds(this.clock.now()) };
      },
      destroy: async (id) => {
        this.rows.delete(key(id));
      },
      revokeByGrantId: async (grantId) => {
        // Every model's rows of the grant, as the database's `where grant_id = …` does.
        for (const [rowKey, row] of this.rows) if (row.grantId === grantId) this.rows.delete(rowKey);
      },
    };
  }
}
