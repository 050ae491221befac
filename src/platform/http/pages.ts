import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from 'typebox';
import { TEMPLATES_FOLDER } from '../templates/templates.js';
import type { FastifyReply } from 'fastify';
import type { HttpServer } from './server.js';
import { answer } from './schemas.js';

/**
 * A hosted page's policy: nothing loads but the pages' one stylesheet, nothing runs (no script at
 * all, inline or not), its one form posts back to this origin, and nobody frames it.
 */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Where the hosted pages' stylesheet is served. */
export const PAGE_STYLESHEET = '/assets/portico.css';

/** Serves `templates/pages/portico.css`, the look every hosted page shares. */
export function registerPageStylesheet(app: HttpServer): void {
  const stylesheet = readFileSync(join(TEMPLATES_FOLDER, 'pages', 'portico.css'), 'utf8');
  app.get(PAGE_STYLESHEET, { schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(stylesheet),
  );
}

/** The OpenAPI answer of a hosted page. */
export const htmlPage = (description: string) => answer('text/html', description, Type.String());

/** Sends a rendered page with its policy; never cached (it may hold a token). */
export function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8').send(html);
}

/**
 * Registers routes whose forms a browser posts (`application/x-www-form-urlencoded`, what a plain
 * HTML form sends without a script): the parser applies to these routes only; everything else
 * stays JSON only.
 */
export function withFormRoutes(app: HttpServer, routes: (scope: HttpServer) => void): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    routes(scope as unknown as HttpServer);
  });
}

/** The page's language from `Accept-Language`: Spanish if the browser prefers it, else English. */
export function pageLocale(acceptLanguage: string | undefined): 'en' | 'es' {
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('es') ? 'es' : 'en';
}
