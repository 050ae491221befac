import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServer } from '../../../../platform/http/server.js';
import { TEMPLATES_FOLDER } from '../../../../platform/templates/templates.js';
import type { ProviderHandle } from '../provider/provider-handle.js';

const DISCOVERY = '/.well-known/openid-configuration';

/**
 * The protocol endpoints, answered by oidc-provider itself: the request goes to it untouched
 * (no body parsed, no header set by Fastify), so every protocol answer — and every protocol
 * error — is the RFC's. Discovery documents them; OpenAPI does not repeat them.
 */
export function registerProviderRoutes(app: HttpServer, provider: ProviderHandle): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Leaves the body unread: oidc-provider reads and checks it.
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const hand = async (request: FastifyRequest, reply: FastifyReply) => {
      // Until the provider has it, a failure is still Fastify's to answer (problem+json).
      const { handle } = await provider.current();
      reply.hijack();
      void handle(request.raw, reply.raw);
    };
    const methods = ['GET', 'POST', 'OPTIONS'] as ('GET' | 'POST' | 'OPTIONS')[];
    scope.route({ method: methods, url: DISCOVERY, schema: { hide: true }, handler: hand });
    scope.route({ method: methods, url: '/oidc/*', schema: { hide: true }, handler: hand });
    // RFC 8414's name for the same document (oidc-provider serves only OpenID Discovery's).
    scope.get('/.well-known/oauth-authorization-server', { schema: { hide: true } }, (request, reply) => {
      request.raw.url = DISCOVERY;
      return hand(request, reply);
    });
  });
  const script = readFileSync(join(TEMPLATES_FOLDER, 'pages', 'passkey-sign-in.js'), 'utf8');
  app.get('/assets/passkey-sign-in.js', { schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/javascript; charset=utf-8').send(script),
  );
}
