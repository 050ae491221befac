import { createHmac, timingSafeEqual } from 'node:crypto';
import type Provider from 'oidc-provider';
import { cookieKeys, createProvider, type ProviderDeps } from './portico-provider.js';

interface Built {
  readonly fingerprint: string;
  readonly provider: Provider;
  readonly handle: ReturnType<Provider['callback']>;
  readonly csrfKeys: readonly string[];
}

/**
 * The provider of the current signing keys. `portico keys rotate` (or another process's rotation,
 * seen by the key store's watch) brings a new set: the provider is built again with it, so ID
 * tokens are signed by the new key while the retired ones stay published and their cookies verify.
 */
export class ProviderHandle {
  private built: Built | null = null;

  constructor(private readonly deps: ProviderDeps) {}

  current(): Built {
    const { keys, fingerprint } = this.deps.signIn.signingKeys();
    if (this.built?.fingerprint !== fingerprint) {
      const provider = createProvider(this.deps, keys);
      this.built = { fingerprint, provider, handle: provider.callback(), csrfKeys: cookieKeys(keys) };
    }
    return this.built;
  }

  /** The token a hosted form carries: bound to its interaction, made with this deployment's key. */
  csrfToken(uid: string): string {
    return mac(this.current().csrfKeys[0]!, uid);
  }

  csrfMatches(uid: string, presented: unknown): boolean {
    if (typeof presented !== 'string' || presented.length === 0) return false;
    const given = Buffer.from(presented);
    return this.current().csrfKeys.some((key) => {
      const expected = Buffer.from(mac(key, uid));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
  }
}

function mac(key: string, uid: string): string {
  return createHmac('sha256', key).update(`csrf:${uid}`).digest('base64url');
}
