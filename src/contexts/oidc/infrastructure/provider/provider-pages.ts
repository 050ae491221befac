import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { hostedLocale, hostedPagePolicy, type HostedPages } from '../pages/hosted-pages.js';

type ErrorOut = { error: string; error_description?: string };

function localeOf(ctx: KoaContextWithOIDC) {
  const params = ctx.oidc?.params as { ui_locales?: string } | undefined;
  return hostedLocale(params?.ui_locales, ctx.get('accept-language'));
}

function send(ctx: KoaContextWithOIDC, html: string, redirectTargets: readonly string[] = []): void {
  ctx.type = 'html';
  ctx.set('content-security-policy', hostedPagePolicy(redirectTargets));
  ctx.set('cache-control', 'no-store');
  ctx.body = html;
}

/**
 * The error page of a request that cannot go back to its client (an unknown client, a redirect
 * URI not registered, a stale interaction): it names the error in words and as the RFC's code,
 * and never redirects.
 */
export function renderProtocolError(pages: HostedPages): NonNullable<Configuration['renderError']> {
  return async (ctx, out) => {
    const { error } = out as ErrorOut;
    const locale = localeOf(ctx);
    send(ctx, pages.render(locale, 'error', { code: error }));
  };
}

/** The logout confirmation and the signed-out page, in Portico's look. */
export function logoutPages(pages: HostedPages) {
  return {
    logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
      const client = ctx.oidc.client;
      send(ctx, pages.render(localeOf(ctx), 'logout', { form }), client?.postLogoutRedirectUris ?? []);
    },
    postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
      send(ctx, pages.render(localeOf(ctx), 'logged-out'));
    },
  };
}
