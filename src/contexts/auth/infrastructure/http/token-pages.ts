import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from 'typebox';
import { htmlPage, pageLocale, sendPage, withFormRoutes } from '../../../../platform/http/pages.js';
import type { HttpServer } from '../../../../platform/http/server.js';
import { Templates, TEMPLATES_FOLDER } from '../../../../platform/templates/templates.js';
import { DomainError } from '../../../../shared/domain/domain-error.js';

export type TokenPageName = 'verify-email' | 'reset-password' | 'confirm-email-change';
type Strings = Record<string, Record<string, string>>;

/** The pages the mails link to, from `templates/pages/` (one layout, the words per locale). */
export class TokenPages {
  private readonly strings: Record<'en' | 'es', Strings>;

  constructor(private readonly templates = new Templates()) {
    const load = (locale: string) =>
      JSON.parse(readFileSync(join(TEMPLATES_FOLDER, 'pages', locale, 'strings.json'), 'utf8')) as Strings;
    this.strings = { en: load('en'), es: load('es') };
  }

  form(locale: 'en' | 'es', page: TokenPageName, action: string, token: string): string {
    const s = this.strings[locale][page]!;
    const form = { action, token, button: s.button, ...(s.password && { password: s.password }) };
    return this.templates.renderHtml('pages/page.html.eta', { lang: locale, title: s.title, message: s.message, form });
  }

  done(locale: 'en' | 'es', page: TokenPageName): string {
    const s = this.strings[locale][page]!;
    return this.templates.renderHtml('pages/page.html.eta', { lang: locale, title: s.title, message: s.done });
  }

  refused(locale: 'en' | 'es', code: string, detail: string): string {
    const s = this.strings[locale];
    const invalid = code === 'token_invalid';
    const title = invalid ? s.invalid!.title : s.refused!.title;
    return this.templates.renderHtml('pages/page.html.eta', {
      lang: locale,
      title,
      message: invalid ? s.invalid!.message : detail,
    });
  }
}

export interface TokenPageRoute {
  readonly path: string;
  readonly page: TokenPageName;
  readonly summary: string;
  /** The page also asks for a new password (a reset). */
  readonly withPassword?: boolean;
  /** Spends the token and applies its change; a DomainError is shown on the page. */
  readonly submit: (form: { token: string; newPassword?: string }) => Promise<void>;
}

const TokenQuery = Type.Object({ token: Type.String({ maxLength: 200 }) }, { additionalProperties: false });
const formBody = (withPassword: boolean) =>
  Type.Object(
    {
      token: Type.String({ maxLength: 200 }),
      ...(withPassword && { newPassword: Type.String({ maxLength: 1024, format: 'password' }) }),
    },
    { additionalProperties: false },
  );

/**
 * GET shows the button and spends nothing (mail scanners open links); the button's POST (a plain
 * form, no script) spends the token and shows the outcome. Both are pages for people, in the
 * browser's language.
 */
export function registerTokenPage(app: HttpServer, pages: TokenPages, route: TokenPageRoute): void {
  const tags = ['auth'];
  withFormRoutes(app, (scope) => {
    scope.get(
      route.path,
      {
        schema: {
          tags,
          summary: `${route.summary}: the page with the button (opening it uses nothing)`,
          security: [],
          querystring: TokenQuery,
          response: { 200: htmlPage('The page, its form holding the token') },
        },
      },
      async (request, reply) => {
        const { token } = request.query as { token: string };
        const locale = pageLocale(request.headers['accept-language']);
        return sendPage(reply, 200, pages.form(locale, route.page, route.path, token));
      },
    );
    scope.post(
      route.path,
      {
        schema: {
          tags,
          summary: `${route.summary}: the button (uses the token)`,
          security: [],
          consumes: ['application/x-www-form-urlencoded'],
          body: formBody(route.withPassword === true),
          response: {
            200: htmlPage('Done'),
            400: htmlPage('`token_invalid` (expired, used or replaced), or the new password was refused'),
            409: htmlPage('`email_taken`: another account took the address meanwhile'),
          },
        },
      },
      async (request, reply) => {
        const locale = pageLocale(request.headers['accept-language']);
        try {
          await route.submit(request.body as { token: string; newPassword?: string });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          const status = error.code === 'email_taken' ? 409 : 400;
          return sendPage(reply, status, pages.refused(locale, error.code, error.message));
        }
        return sendPage(reply, 200, pages.done(locale, route.page));
      },
    );
  });
}
