import cors from '@fastify/cors';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/** What a browser app may send and read across origins (CORS), beyond the CORS-safelisted ones. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'Prefer', 'X-Request-Id'];
const EXPOSED_HEADERS = ['ETag', 'Location', 'Preference-Applied', 'Retry-After', 'WWW-Authenticate', 'X-Request-Id'];

/** The API's own responses are data, never a page: nothing may load, run or frame them. */
const API_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * Swagger UI's own CSP (its scripts by hash), framing refused like every page, and nothing fetched
 * from elsewhere: no online validator, no upgrade of a plain-http localhost. Its React views set
 * style attributes, which only 'unsafe-inline' allows (for styles, never for scripts).
 */
export const SWAGGER_UI_SECURITY = {
  staticCSP: true,
  transformStaticCSP: (header: string) =>
    header
      .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
      .replace(/font-src [^;]*;/, "font-src 'self' data:;")
      .replace(/style-src [^;]*;/, "style-src 'self' 'unsafe-inline';")
      .replace(' validator.swagger.io', '')
      .replace(' upgrade-insecure-requests;', ''),
  uiConfig: { validatorUrl: null },
} as const;

/**
 * Helmet's headers, worked out once: they are the same for every response, so running its dozen
 * middlewares per request (3 % of a read's CPU) buys nothing. Helmet stays the source of the values.
 */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  const middleware = helmet({ contentSecurityPolicy: API_CSP, referrerPolicy: { policy: 'no-referrer' } });
  middleware({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * Security headers on every response (helmet: `nosniff`, `no-referrer`, a strict CSP with
 * `frame-ancestors 'none'`), `Cache-Control: no-store` unless a route says otherwise (tokens and
 * personal data must never sit in a shared cache), and CORS for the listed origins only.
 */
export async function registerBrowserHeaders(app: FastifyInstance, corsOrigins: readonly string[]): Promise<void> {
  const headers = { ...helmetHeaders(), 'cache-control': 'no-store' };
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  if (corsOrigins.length === 0) return;
  await app.register(cors, {
    origin: [...corsOrigins],
    // Bearer tokens travel in a header, not a cookie: no credentialed CORS, so never `*` with credentials.
    credentials: false,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    strictPreflight: true,
  });
}
