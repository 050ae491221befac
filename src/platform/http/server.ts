import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginCallback,
} from 'fastify';
import { v7 } from 'uuid';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../observability/metrics/metrics.js';
import { registerHttpMetrics, registerMetricsRoute } from '../observability/metrics/http-metrics.js';
import { registerErrorHandling, sendProblem, toProblem } from './error-handler.js';
import { DOCS_PREFIX, openApiOptions, registerDocumentRoute } from './openapi.js';
import { registerBrowserHeaders, SWAGGER_UI_SECURITY } from './browser-headers.js';
import { answerClientError } from './client-errors.js';
import { problem, type ProblemCatalogue } from './problem.js';
import { buildValidator, STRICT_AJV } from './validation.js';
import { serializerOnFirstUse, validatorOnFirstUse } from './compiled-on-first-use.js';

export const BODY_LIMIT_BYTES = 64 * 1024;
const REQUEST_ID_SHAPE = /^[\x21-\x7e]{1,200}$/;

export type HttpServer = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface ServerOptions {
  readonly logger: Logger;
  readonly publicUrl: string;
  /** Every error code the contexts and the platform answer with. */
  readonly problems: ProblemCatalogue;
  /** OpenAPI tags: one per context, and the platform's own. */
  readonly tags?: readonly { readonly name: string; readonly description: string }[];
  readonly trustProxy?: boolean | number | string;
  /** Request metrics and `GET /metrics`; left out, the server exposes none. */
  readonly metrics?: Metrics;
  /** Browser origins allowed to call the API (CORS); empty: none. */
  readonly corsOrigins?: readonly string[];
  /** Opens each request's trace span; registered before every hook and route so it sees them all. */
  readonly tracing?: FastifyPluginCallback;
}

/**
 * The HTTP shell every role's API shares: request ids, problem+json for every error, strict JSON
 * (no type coercion, no silently dropped fields), body limit, OpenAPI and Swagger UI.
 */
export async function createHttpServer(options: ServerOptions): Promise<HttpServer> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: BODY_LIMIT_BYTES,
    // A plugin that never starts still fails; one slowed by a busy machine (Swagger UI reads its files) does not.
    pluginTimeout: 60_000,
    // Fastify takes a hop count as a number; the union type of its option does not say so.
    trustProxy: (options.trustProxy ?? false) as boolean | string,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_SHAPE.test(given) ? given : v7();
    },
    ajv: STRICT_AJV,
    schemaController: {
      compilersFactory: {
        buildValidator: validatorOnFirstUse(buildValidator),
        buildSerializer: serializerOnFirstUse(),
      },
    },
    routerOptions: { ignoreTrailingSlash: true },
    clientErrorHandler: answerClientError,
    // Errors the router raises before any route or hook runs (a malformed %-escape, an over-long
    // path parameter): problem+json with a request id like every other answer.
    frameworkErrors: (error, request, reply) => {
      const { problem: details, headers } = toProblem(error, options.problems);
      reply.header('x-request-id', request.id);
      return sendProblem(reply, details, headers);
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as HttpServer;

  if (options.tracing) await app.register(options.tracing);
  registerErrorHandling(app, options.problems);
  registerStrictJson(app);
  await registerBrowserHeaders(app, options.corsOrigins ?? []);
  if (options.metrics) registerHttpMetrics(app, options.metrics, options.problems);

  registerRequestLine(app, options.logger);

  await registerOpenApi(app, options);
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, ...SWAGGER_UI_SECURITY });
  registerDocumentRoute(app);
  if (options.metrics) registerMetricsRoute(app, options.metrics);
  return app;
}

/** The OpenAPI 3.1 document every route contributes to, with one tag per context (see openapi.ts). */
async function registerOpenApi(app: HttpServer, options: ServerOptions): Promise<void> {
  await app.register(
    swagger,
    openApiOptions(app, {
      openapi: '3.1.0',
      info: {
        title: 'Portico',
        version: '1',
        description: 'User and authentication service. Writes are commands: 202 + Location, or `Prefer: wait=N`.',
      },
      servers: [{ url: options.publicUrl }],
      tags: [...(options.tags ?? [])],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT (RFC 9068, JWT_ALGORITHM), from POST /api/v1/auth/login',
          },
        },
      },
      // Every route needs a token unless it says otherwise (`security: []`).
      security: [{ bearerAuth: [] }],
    }),
  );
}

/**
 * JSON only, and an empty body counts as no body (a POST without payload is common from curl).
 * Every other media type, and a body sent without any type, gets 415.
 */
function registerStrictJson(app: HttpServer): void {
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || body === undefined) return done(null, undefined);
    parseJson(request, body as string, done);
  });
  app.addHook('preValidation', async (request, reply) => {
    const hasBody =
      Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (hasBody && request.headers['content-type'] === undefined) {
      return sendProblem(reply, problem('unsupported_media_type', 'send the body as application/json'));
    }
    // A route without a body schema takes no body: `{}` is tolerated, anything in it is an unknown field.
    const body: unknown = request.body;
    if (body === undefined || body === null || request.is404 || request.routeOptions.schema?.body !== undefined) return;
    const isObject = typeof body === 'object' && !Array.isArray(body);
    if (isObject && Object.keys(body).length === 0) return;
    const errors = isObject
      ? Object.keys(body).map((field) => ({ field, message: 'is not a known field' }))
      : [{ field: 'body', message: 'must be absent: this endpoint takes no body' }];
    return sendProblem(reply, problem('validation_failed', 'this endpoint takes no body', errors));
  });
}

/** Every answer carries its request id, and leaves one access line in the log. */
function registerRequestLine(app: HttpServer, logger: Logger): void {
  // Hooks on every request take a callback rather than being async: no promise per hook per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // The access line holds a route template, a status and a time, never a secret: it skips the
  // redaction every other line goes through, which costs as much as writing it (once per request).
  const accessLog = logger.child({}, { redact: { paths: [] } });
  app.addHook('onResponse', (request, reply, done) => {
    if (!accessLog.isLevelEnabled('info')) return done();
    accessLog.info(
      {
        requestId: request.id,
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
    done();
  });
}
