import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Database } from '../../../../platform/db/database.js';

export const SIGNING_ALGORITHM = 'EdDSA';

export interface SigningKey {
  readonly kid: string;
  readonly publicJwk: JWK;
  readonly key: CryptoKey;
  readonly createdAt: Date;
  readonly retiredAt: Date | null;
}

interface Row {
  kid: string;
  public_jwk: JWK;
  private_jwk: JWK;
  created_at: string | Date;
  retired_at: string | Date | null;
}

/** Advisory lock so two processes starting at once do not both create the first key. */
const KEY_CREATION_LOCK = 7426010;

/**
 * Ed25519 signing keys in `auth.signing_keys`. The newest unretired key signs; a retired key stays
 * published in the JWKS until every token it signed has expired, so a rotation logs no one out.
 */
export class SigningKeyStore {
  private signingKey: SigningKey | null = null;
  private verificationKeys = new Map<string, SigningKey>();
  private loadedAt = 0;

  constructor(
    private readonly database: Database,
    private readonly accessTokenLifetimeSeconds: number,
  ) {}

  /** Creates the first key when there is none. Safe to call from every process at start. */
  async ensureKey(): Promise<void> {
    await this.database.transaction(async () => {
      await this.database.query(sql`select pg_advisory_xact_lock(${KEY_CREATION_LOCK})`);
      const existing = await this.database.query(sql`select 1 from auth.signing_keys where retired_at is null limit 1`);
      if (existing.rows.length === 0) await this.insertNewKey();
    });
    await this.reload();
  }

  /** Adds a new signing key and retires the others (they keep verifying until their tokens expire). */
  async rotate(): Promise<string> {
    const kid = await this.database.transaction(async () => {
      await this.database.query(sql`select pg_advisory_xact_lock(${KEY_CREATION_LOCK})`);
      await this.database.query(sql`update auth.signing_keys set retired_at = now() where retired_at is null`);
      return this.insertNewKey();
    });
    await this.reload();
    return kid;
  }

  private async insertNewKey(): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM };
    await this.database.query(sql`
      insert into auth.signing_keys (kid, algorithm, public_jwk, private_jwk)
      values (${kid}, ${SIGNING_ALGORITHM}, ${JSON.stringify(publicJwk)}::jsonb, ${JSON.stringify(privateJwk)}::jsonb)`);
    return kid;
  }

  async reload(): Promise<void> {
    const result = await this.database.query<Row>(sql`
      select kid, public_jwk, private_jwk, created_at, retired_at from auth.signing_keys
       where retired_at is null
          or retired_at > now() - make_interval(secs => ${this.accessTokenLifetimeSeconds + 60})
       order by created_at desc`);
    const keys = new Map<string, SigningKey>();
    let signing: SigningKey | null = null;
    for (const row of result.rows) {
      const retiredAt = row.retired_at === null ? null : new Date(row.retired_at);
      const base = { kid: row.kid, publicJwk: row.public_jwk, createdAt: new Date(row.created_at), retiredAt };
      keys.set(row.kid, { ...base, key: (await importJWK(row.public_jwk, SIGNING_ALGORITHM)) as CryptoKey });
      if (!signing && retiredAt === null) {
        signing = { ...base, key: (await importJWK(row.private_jwk, SIGNING_ALGORITHM)) as CryptoKey };
      }
    }
    this.verificationKeys = keys;
    this.signingKey = signing;
    this.loadedAt = Date.now();
  }

  /** Picks up keys rotated by `portico keys rotate` or another process. */
  watch(intervalMs = 60_000): () => void {
    const timer = setInterval(() => void this.reload().catch(() => undefined), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  current(): SigningKey {
    if (!this.signingKey) throw new Error('no signing key: call ensureKey() at start');
    return this.signingKey;
  }

  /** The key for a token's `kid`; an unknown kid triggers one reload (a rotation in another process). */
  async verificationKey(kid: string): Promise<CryptoKey | null> {
    const known = this.verificationKeys.get(kid);
    if (known) return known.key;
    if (Date.now() - this.loadedAt > 5_000) {
      await this.reload();
      return this.verificationKeys.get(kid)?.key ?? null;
    }
    return null;
  }

  published(): SigningKey[] {
    return [...this.verificationKeys.values()];
  }

  jwks(): { keys: JWK[] } {
    return { keys: [...this.verificationKeys.values()].map((k) => k.publicJwk) };
  }
}
