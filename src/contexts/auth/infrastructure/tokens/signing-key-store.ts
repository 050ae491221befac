import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { exportJWK, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Database } from '../../../../platform/db/database.js';
import { generateSigningKeyPair, type SigningAlgorithm } from './signing-algorithm.js';

export interface SigningKey {
  readonly kid: string;
  /** The only algorithm this key signs and verifies with (pinned per kid). */
  readonly algorithm: SigningAlgorithm;
  /** As published in the JWKS: `kid`, `alg`, `use: "sig"` and the public parameters. */
  readonly publicJwk: JWK;
  readonly key: CryptoKey;
  readonly createdAt: Date;
  readonly retiredAt: Date | null;
}

export interface SigningKeySettings {
  readonly accessTokenLifetimeSeconds: number;
  /** The algorithm of keys made from now on (`JWT_ALGORITHM`); existing keys keep theirs. */
  readonly algorithm: SigningAlgorithm;
}

interface Row {
  kid: string;
  algorithm: SigningAlgorithm;
  public_jwk: JWK;
  private_jwk: JWK;
  created_at: string | Date;
  retired_at: string | Date | null;
}

/** Advisory lock so two processes starting at once do not both create a key. */
const KEY_CREATION_LOCK = 7426010;

/**
 * Signing keys in `auth.signing_keys`, each stored with its algorithm. The newest unretired key
 * signs; a retired key stays published in the JWKS until every token it signed has expired, so a
 * rotation — to a new key or to a new algorithm — logs no one out.
 */
export class SigningKeyStore {
  private signingKey: SigningKey | null = null;
  private verificationKeys = new Map<string, SigningKey>();
  private privateJwks: JWK[] = [];
  private loadedAt = 0;

  constructor(
    private readonly database: Database,
    private readonly settings: SigningKeySettings,
  ) {}

  /**
   * Makes a signing key when there is none, or when the newest one has another algorithm than
   * `settings.algorithm` (JWT_ALGORITHM changed). Safe to call from every process at start.
   */
  async ensureKey(): Promise<void> {
    await this.underKeyLock(async () => {
      const newest = await this.database.query<Pick<Row, 'algorithm'>>(sql`
        select algorithm from auth.signing_keys where retired_at is null order by created_at desc limit 1`);
      if (newest.rows[0]?.algorithm !== this.settings.algorithm) await this.replaceSigningKey();
    });
    await this.reload();
  }

  /** Adds a new signing key and retires the others (they keep verifying until their tokens expire). */
  async rotate(): Promise<string> {
    const kid = await this.underKeyLock(() => this.replaceSigningKey());
    await this.reload();
    return kid;
  }

  private async underKeyLock<T>(work: () => Promise<T>): Promise<T> {
    return this.database.transaction(async () => {
      await this.database.query(sql`select pg_advisory_xact_lock(${KEY_CREATION_LOCK})`);
      return work();
    });
  }

  private async replaceSigningKey(): Promise<string> {
    const algorithm = this.settings.algorithm;
    const { publicKey, privateKey } = await generateSigningKeyPair(algorithm);
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: algorithm, use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: algorithm };
    await this.database.query(sql`update auth.signing_keys set retired_at = now() where retired_at is null`);
    await this.database.query(sql`
      insert into auth.signing_keys (kid, algorithm, public_jwk, private_jwk)
      values (${kid}, ${algorithm}, ${JSON.stringify(publicJwk)}::jsonb, ${JSON.stringify(privateJwk)}::jsonb)`);
    return kid;
  }

  async reload(): Promise<void> {
    const result = await this.database.query<Row>(sql`
      select kid, algorithm, public_jwk, private_jwk, created_at, retired_at from auth.signing_keys
       where retired_at is null
          or retired_at > now() - make_interval(secs => ${this.settings.accessTokenLifetimeSeconds + 60})
       order by created_at desc`);
    const keys = new Map<string, SigningKey>();
    const privateJwks: JWK[] = [];
    let signing: SigningKey | null = null;
    for (const row of result.rows) {
      const { kid, algorithm } = row;
      const retiredAt = row.retired_at === null ? null : new Date(row.retired_at);
      // The column is the key's algorithm: the published `alg` and the only one it verifies.
      const publicJwk: JWK = { ...row.public_jwk, kid, alg: algorithm, use: 'sig' };
      const base = { kid, algorithm, publicJwk, createdAt: new Date(row.created_at), retiredAt };
      keys.set(kid, { ...base, key: (await importJWK(publicJwk, algorithm)) as CryptoKey });
      privateJwks.push({ ...row.private_jwk, kid, alg: algorithm, use: 'sig' });
      if (!signing && retiredAt === null) {
        signing = { ...base, key: (await importJWK(row.private_jwk, algorithm)) as CryptoKey };
      }
    }
    this.verificationKeys = keys;
    this.signingKey = signing;
    this.privateJwks = privateJwks;
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
  async verificationKey(kid: string): Promise<SigningKey | null> {
    const known = this.verificationKeys.get(kid);
    if (known) return known;
    if (Date.now() - this.loadedAt > 5_000) {
      await this.reload();
      return this.verificationKeys.get(kid) ?? null;
    }
    return null;
  }

  published(): SigningKey[] {
    return [...this.verificationKeys.values()];
  }

  /**
   * The published keys with their private parts, the signing key first: for the OpenID provider,
   * which signs ID tokens with the first key of an algorithm and publishes the others' public halves.
   */
  signingJwks(): JWK[] {
    return this.privateJwks;
  }

  /** Identifies the set of keys, to tell when a reload brought a rotation. */
  fingerprint(): string {
    return this.privateJwks.map((jwk) => jwk.kid).join(',');
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.published().map((k) => k.publicJwk) };
  }
}
