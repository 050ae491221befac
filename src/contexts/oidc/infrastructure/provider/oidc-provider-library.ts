import type * as OidcProviderModule from 'oidc-provider';

/**
 * oidc-provider, loaded without its runtime notice. Version 9 prints "Unsupported runtime" on any
 * Node.js before 22 when it is imported (its support policy, not a failure): every `portico`
 * command would start with a warning about a library most of them never use. Node 20, the version
 * Portico states in `engines`, runs it — CI drives the whole OpenID flow on it — so the import
 * mutes that one line and nothing else; the README says which versions the library supports.
 */
/* eslint-disable no-console -- the one place that touches the console: to mute one library line */
const NOTICE = 'oidc-provider WARNING: Unsupported runtime';

type Library = typeof OidcProviderModule;
let loading: Promise<Library> | undefined;

/**
 * The library, imported at the first OpenID request, not at start: it is 30 MB and 0.3 s of a
 * start on two cores, and most API processes of most deployments never serve a relying party.
 */
export function loadOidcProvider(): Promise<Library> {
  loading ??= quietly(() => import('oidc-provider'));
  return loading;
}

async function quietly(load: () => Promise<Library>): Promise<Library> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && args[0].includes(NOTICE))) warn(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
  }
}
