import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { digestOf, readOnlyClients, type ClientMetadataSource } from './postgres-oidc-adapter.js';

interface Row {
  readonly model: string;
  payload: AdapterPayload;
  readonly grantId: string | null;
  readonly expiresAt: number | null;
}

/**
 * The provider's storage in memory, for unit tests; the contract suite holds it to the same
 * rules as PostgresOidcAdapter (digest keys, no `jti` kept, expiry, consume, revoke by grant).
 */
export class MemoryOidcStore {
  private readonly rows = new Map<string, Row>();

  constructor(
    private readonly clients: ClientMetadataSource,
    private readonly now: () => number = Date.now,
  ) {}

  readonly factory: AdapterFactory = (model) =>
    model === 'Client' ? readOnlyClients(this.clients) : this.adapter(model);

  /** What a row holds, by model and id: what the contract suite checks for leaked tokens. */
  stored(): AdapterPayload[] {
    return [...this.rows.values()].map((row) => row.payload);
  }

  sweep(): number {
    let swept = 0;
    for (const [key, row] of this.rows) {
      if (row.expiresAt !== null && row.expiresAt <= this.now()) swept += Number(this.rows.delete(key));
    }
    return swept;
  }

  private live(predicate: (row: Row) => boolean): Row | undefined {
    return [...this.rows.values()].find(
      (row) => predicate(row) && (row.expiresAt === null || row.expiresAt > this.now()),
    );
  }

  private adapter(model: string): Adapter {
    const key = (id: string) => `${model}:${digestOf(id)}`;
    return {
      upsert: async (id, payload, expiresIn) => {
        const { jti: _jti, ...rest } = payload;
        const grantId = model === 'Grant' ? id : (payload.grantId ?? null);
        const expiresAt = expiresIn ? this.now() + expiresIn * 1000 : null;
        this.rows.set(key(id), { model, payload: structuredClone(rest), grantId, expiresAt });
      },
      find: async (id) => {
        const row = this.live((candidate) => candidate === this.rows.get(key(id)));
        return row && { ...structuredClone(row.payload), jti: id };
      },
      findByUid: async (uid) => this.copy(this.live((row) => row.model === model && row.payload.uid === uid)),
      findByUserCode: async (code) =>
        this.copy(this.live((row) => row.model === model && row.payload.userCode === code)),
      consume: async (id) => {
        const row = this.rows.get(key(id));
        if (row) row.payload = { ...row.payload, consumed: Math.floor(this.now() / 1000) };
      },
      destroy: async (id) => void this.rows.delete(key(id)),
      revokeByGrantId: async (grantId) => {
        for (const [rowKey, row] of this.rows) if (row.grantId === grantId) this.rows.delete(rowKey);
      },
    };
  }

  private copy(row: Row | undefined): AdapterPayload | undefined {
    return row && structuredClone(row.payload);
  }
}
