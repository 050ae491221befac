import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Templates, TEMPLATES_FOLDER } from '../../../../platform/templates/templates.js';

export type Locale = 'en' | 'es';
type Strings = Record<string, Record<string, string>>;
type PageName = 'sign-in' | 'second-factor' | 'consent' | 'logout' | 'logged-out' | 'error';

/** What a page shows besides its own words: its form's fields, and a refusal to explain. */
export interface PageData {
  readonly client?: string;
  readonly error?: { readonly code: string; readonly retryAfterSeconds?: number };
  readonly [field: string]: unknown;
}

/**
 * The hosted sign-in pages (`templates/pages/hosted/`): one layout, a body per page, the words per
 * locale in `templates/pages/<locale>/hosted.json`. Plain forms; no script runs on any of them.
 */
export class HostedPages {
  private readonly strings: Record<Locale, Strings>;

  constructor(private readonly templates = new Templates()) {
    const load = (locale: Locale) =>
      JSON.parse(readFileSync(join(TEMPLATES_FOLDER, 'pages', locale, 'hosted.json'), 'utf8')) as Strings;
    this.strings = { en: load('en'), es: load('es') };
  }

  render(locale: Locale, page: PageName, data: PageData = {}): string {
    const s = this.strings[locale][page]!;
    const body = page === 'logged-out' || page === 'error' ? '' : this.renderBody(locale, page, s, data);
    return this.templates.renderHtml('pages/hosted/layout.html.eta', {
      lang: locale,
      title: s.title,
      lead: fill(s.lead ?? '', { client: data.client ?? '' }),
      error: data.error ? this.refusal(locale, data.error) : undefined,
      body,
      // An error page names the RFC's code too: what a person can quote to whoever runs the application.
      code: typeof data.code === 'string' ? data.code : undefined,
      codeLabel: s.code ?? '',
    });
  }

  /** Each requested scope in words, for the consent page. */
  scopes(locale: Locale, scopes: readonly string[]): string[] {
    const words = this.strings[locale].scopes!;
    return scopes.map((scope) => words[scope] ?? scope);
  }

  private renderBody(locale: Locale, page: PageName, s: Record<string, string>, data: PageData): string {
    const scopes = page === 'consent' ? this.scopes(locale, (data.scopes as string[] | undefined) ?? []) : [];
    return this.templates.renderHtml(`pages/hosted/${page}.html.eta`, { ...data, scopes, s });
  }

  private refusal(locale: Locale, { code, retryAfterSeconds }: NonNullable<PageData['error']>): string {
    const refusals = this.strings[locale].refusals!;
    return fill(refusals[code] ?? refusals.invalid_credentials!, { seconds: String(retryAfterSeconds ?? 60) });
  }
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

/**
 * A hosted page's policy: its one stylesheet (and on the sign-in page its passkey script) loads, nobody frames it, and its
 * forms post to this origin only — and to the application it finishes at: Chromium applies
 * `form-action` to the redirects that follow a form's POST, which end at the client.
 */
export function hostedPagePolicy(redirectTargets: readonly string[] = [], passkeyScript = false): string {
  const origins = [...new Set(redirectTargets.flatMap((uri) => originOf(uri)))];
  return [
    "default-src 'none'",
    "style-src 'self'",
    // The sign-in page's one script (the passkey button), from this origin, talking to it only.
    ...(passkeyScript ? ["script-src 'self'", "connect-src 'self'"] : []),
    `form-action 'self'${origins.map((origin) => ` ${origin}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function originOf(uri: string): string[] {
  try {
    const { origin } = new URL(uri);
    return origin === 'null' ? [] : [origin];
  } catch {
    return [];
  }
}

/** The page's language: the client's `ui_locales` first, then the browser's `Accept-Language`. */
export function hostedLocale(uiLocales: unknown, acceptLanguage: string | undefined): Locale {
  const wanted = [...String(uiLocales ?? '').split(' '), ...(acceptLanguage ?? '').split(',')];
  for (const tag of wanted) {
    const language = tag.trim().toLowerCase().slice(0, 2);
    if (language === 'es' || language === 'en') return language;
  }
  return 'en';
}
