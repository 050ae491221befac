import { generateKeyPair, exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { ProviderHandle } from '../../../../src/contexts/oidc/infrastructure/provider/provider-handle.js';
import { HostedPages } from '../../../../src/contexts/oidc/infrastructure/pages/hosted-pages.js';
import { MemorySessionLinks } from '../../../../src/contexts/oidc/infrastructure/persistence/memory-session-links.js';
import { MemoryOidcStore } from '../../../../src/contexts/oidc/infrastructure/persistence/memory-oidc-adapter.js';
import { digestMatches as secretMatches } from '../../../../src/contexts/oidc/infrastructure/clients/client-registry.js';
import type { SignIn } from '../../../../src/contexts/oidc/infrastructure/sign-in.port.js';

async function key(kid: string) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

describe('ProviderHandle', async () => {
  const keys = { current: [await key('k1')] };
  const signIn = {
    signingKeys: () => ({ keys: keys.current, fingerprint: keys.current.map((k) => k.kid).join(',') }),
  } as SignIn;
  const settings = {
    issuer: 'https://id.example',
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 86_400,
    trustProxy: false,
  };
  const handle = new ProviderHandle({
    settings,
    signIn,
    profiles: { find: async () => null },
    links: new MemorySessionLinks(),
    adapter: new MemoryOidcStore({ metadataOf: async () => undefined }).factory,
    pages: new HostedPages(),
    secretMatches,
    logger: pino({ level: 'silent' }),
  });

  it('binds a form’s CSRF token to its interaction', () => {
    const token = handle.csrfToken('uid-1');
    expect(handle.csrfMatches('uid-1', token)).toBe(true);
    expect(handle.csrfMatches('uid-2', token)).toBe(false);
    expect(handle.csrfMatches('uid-1', undefined)).toBe(false);
    expect(handle.csrfMatches('uid-1', `${token}x`)).toBe(false);
  });

  it('rebuilds the provider on a key rotation; tokens made before it still pass', async () => {
    const before = (await handle.current()).provider;
    const token = handle.csrfToken('uid-1');
    expect((await handle.current()).provider).toBe(before);
    keys.current = [await key('k2'), ...keys.current];
    expect((await handle.current()).provider).not.toBe(before);
    expect(handle.csrfMatches('uid-1', token)).toBe(true);
    expect(handle.csrfToken('uid-1')).not.toBe(token);
  });

  it('builds one provider for the requests that arrive while it is built', async () => {
    keys.current = [await key('k3'), ...keys.current];
    const [a, b] = await Promise.all([handle.current(), handle.current()]);
    expect(a.provider).toBe(b.provider);
  });

  it('drops a build that failed: the next request builds again', async () => {
    settings.issuer = 'not a url';
    keys.current = [await key('k4'), ...keys.current];
    await expect(handle.current()).rejects.toThrow();
    settings.issuer = 'https://id.example';
    expect((await handle.current()).provider).toBeDefined();
  });

  it('compares a presented client secret with its stored digest', () => {
    const digest = '2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b'; // sha256("secret")
    expect(secretMatches(digest, 'secret')).toBe(true);
    expect(secretMatches(digest, 'Secret')).toBe(false);
    expect(secretMatches('short', 'secret')).toBe(false);
  });
});
