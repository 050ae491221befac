/**
 * oidc-provider, loaded without its runtime notice. Version 9 prints "Unsupported runtime" on any
 * Node.js before 22 when it is imported (its support policy, not a failure): every `portico`
 * command would start with a warning about a library most of them never use. Node 20, the version
 * Portico states in `engines`, runs it — CI drives the whole OpenID flow on it — so the import
 * mutes that one line and nothing else; the README says which versions the library supports.
 */
/* eslint-disable no-console -- the one place that touches the console: to mute one library line */
const NOTICE = 'oidc-provider WARNING: Unsupported runtime';

const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (!(typeof args[0] === 'string' && args[0].includes(NOTICE))) warn(...args);
};
const library = await import('oidc-provider').finally(() => {
  console.warn = warn;
});

export const Provider = library.default;
export const interactionPolicy = library.interactionPolicy;
