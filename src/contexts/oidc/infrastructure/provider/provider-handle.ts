import { createHmac, timingSafeEqual } from 'node:crypto';
import type Provider from 'oidc-provider';
import { cookieKeys, createProvider, type ProviderDeps } from './portico-provider.js';

interface Built {
  readonly fingerprint: string;
  readonly provider: Provider;
  readonly handle: ReturnType<Provider['callback']>;
}

/**
 * The provider of the current signing keys. `portico keys rotate` (or another process's rotation,
 * seen by the key store's watch) brings a new set: the provider is built again with it, so ID
 * tokens are signed by the new key while the retired ones stay published and their cookies verify.
 */
export class ProviderHandle {
  private built: { readonly fingerprint: string; readonly ready: Promise<Built> } | null = null;
  private csrf: { readonly fingerprint: string; readonly keys: readonly string[] } | null = null;

  constructor(private readonly deps: ProviderDeps) {}

  /**
   * The provider of the current keys; the first call loads the library (the first OpenID
   * request). Requests that arrive while it is built wait for the same one; a build that failed
   * is dropped, so the next request tries again.
   */
  current(): Promise<Built> {
    const { keys, fingerprint } = this.deps.signIn.signingKeys();
    if (this.built?.fingerprint !== fingerprint) {
      const ready = createProvider(this.deps, keys).then((provider) => ({
        fingerprint,
        provider,
        handle: provider.callback(),
      }));
      const building = { fingerprint, ready };
      this.built = building;
      ready.catch(() => {
        if (this.built === building) this.built = null;
      });
    }
    return this.built!.ready;
  }

  /** The token a hosted form carries: bound to its interaction, made with this deployment's key. */
  csrfToken(uid: string): string {
    return mac(this.csrfKeys()[0]!, uid);
  }

  csrfMatches(uid: string, presented: unknown): boolean {
    if (typeof presented !== 'string' || presented.length === 0) return false;
    const given = Buffer.from(presented);
    return this.csrfKeys().some((key) => {
      const expected = Buffer.from(mac(key, uid));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
  }

  private csrfKeys(): readonly string[] {
    const { keys, fingerprint } = this.deps.signIn.signingKeys();
    if (this.csrf?.fingerprint !== fingerprint) this.csrf = { fingerprint, keys: cookieKeys(keys) };
    return this.csrf.keys;
  }
}

function mac(key: string, uid: string): string {
  return createHmac('sha256', key).update(`csrf:${uid}`).digest('base64url');
}
