import type { FastifyDynamicSwaggerOptions, SwaggerTransform } from '@fastify/swagger';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { Type } from 'typebox';
import { AcceptedSchema, answer, json, problem, Problems, ProblemSchema, RESPONSE_HEADERS, share } from './schemas.js';

declare module 'fastify' {
  interface FastifySchema {
    /** The route takes a body but requires none: OpenAPI `requestBody.required: false`. */
    'x-body-optional'?: boolean;
  }
}

export const DOCS_PREFIX = '/docs';

type Schema = Record<string, unknown>;
type Responses = Record<string, Schema>;

const header = (description: string, schema: Schema = { type: 'string' }) => ({ description, required: true, schema });

/** Headers on every answer of every route: the shell sets them (browser-headers.ts, server.ts). */
const EVERY_RESPONSE_HEADERS = {
  'X-Request-Id': header(
    'The id the client sent (1–200 visible ASCII characters), else a new UUID v7; the correlation id of any command the request starts',
    { type: 'string', minLength: 1, maxLength: 200 },
  ),
  'Cache-Control': header('`no-store` (tokens and personal data never sit in a cache); the JWKS `public, max-age=300`'),
  'X-Content-Type-Options': header('Browsers must not guess the media type', { const: 'nosniff' }),
  'Referrer-Policy': header('No referrer is sent on', { const: 'no-referrer' }),
  'Content-Security-Policy': header(
    "Nothing may frame an answer; an API answer may load or run nothing, /docs only Swagger UI's own",
    {
      type: 'string',
      pattern: "frame-ancestors 'none'",
    },
  ),
  'Strict-Transport-Security': header('Browsers keep to HTTPS'),
  'Cross-Origin-Opener-Policy': header('helmet default'),
  'Cross-Origin-Resource-Policy': header('helmet default'),
  'Origin-Agent-Cluster': header('helmet default'),
  'X-DNS-Prefetch-Control': header('helmet default'),
  'X-Download-Options': header('helmet default'),
  'X-Frame-Options': header('Legacy form of `frame-ancestors`'),
  'X-Permitted-Cross-Domain-Policies': header('helmet default'),
  'X-XSS-Protection': header('helmet default: `0`, the legacy filter off'),
};
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What the shell answers on any route, whatever the route itself declares. */
const SHELL_PROBLEMS = {
  500: problem('`internal_error`: something failed on our side; the `X-Request-Id` identifies it in the logs'),
};
/** What the strict-JSON shell answers on every route that takes a body. */
const BODY_PROBLEMS = {
  400: Problems.validation,
  413: problem('`payload_too_large`: the body is over 64 KiB'),
  415: problem('`unsupported_media_type`: the body is not `application/json`'),
};

const DOCS_ROUTE: Schema = {
  tags: ['operations'],
  summary: 'Swagger UI of /openapi.json',
  security: [],
  response: { 200: answer('text/html', 'The Swagger UI page', Type.String()) },
};

/**
 * The `@fastify/swagger` options that make the document true to what the server answers: shared
 * schemas under their `$id`, response headers as components, the shell's own answers added to
 * every route, Swagger UI's page listed, optional bodies said to be optional.
 */
export function openApiOptions(
  app: FastifyInstance,
  document: Schema & { components?: Schema },
): FastifyDynamicSwaggerOptions {
  share(app, ProblemSchema, AcceptedSchema);
  return {
    openapi: {
      ...document,
      components: { ...document.components, headers: { ...EVERY_RESPONSE_HEADERS, ...RESPONSE_HEADERS } },
    } as never,
    refResolver: {
      buildLocalReference: (schema: Schema, _base: unknown, _fragment: unknown, i: number) =>
        typeof schema.$id === 'string' ? schema.$id : `def-${i}`,
    },
    transform: documentRoute,
    transformObject: (document) => finishDocument((document as { openapiObject: Document }).openapiObject) as never,
  };
}

/** `GET /openapi.json`: the document itself, listed in it. */
export function registerDocumentRoute(app: FastifyInstance): void {
  const OpenApiDocument = Type.Object(
    { openapi: Type.String({ pattern: '^3\\.1\\.' }), info: Type.Object({}, { additionalProperties: true }) },
    { additionalProperties: true },
  );
  app.get(
    '/openapi.json',
    {
      schema: {
        tags: ['operations'],
        summary: 'This document (OpenAPI 3.1)',
        security: [],
        response: { 200: json('The OpenAPI 3.1 document of every route', OpenApiDocument) },
      },
    },
    async () => app.swagger(),
  );
}

const documentRoute: SwaggerTransform = ({ schema, url, route }) => {
  if (route.method === 'GET' && (url === DOCS_PREFIX || url === `${DOCS_PREFIX}/`)) {
    return { schema: withShellAnswers(DOCS_ROUTE, 'GET') as FastifySchema, url: DOCS_PREFIX };
  }
  if (!schema || schema.hide) return { schema, url };
  return { schema: withShellAnswers(schema as Schema, route.method) as FastifySchema, url };
};

function withShellAnswers(schema: Schema, method: string | readonly string[]): Schema {
  const methods = typeof method === 'string' ? [method] : method;
  const takesBody = methods.some((m) => BODY_METHODS.has(m));
  const validates = ['params', 'querystring', 'headers'].some((part) => schema[part] !== undefined);
  const declared = (schema.response ?? {}) as Responses;
  const responses: Responses = {
    ...SHELL_PROBLEMS,
    ...(validates && { 400: Problems.validation }),
    ...(takesBody && BODY_PROBLEMS),
    ...declared,
  };
  return {
    ...schema,
    response: Object.fromEntries(Object.entries(responses).map(([status, entry]) => [status, withEveryHeader(entry)])),
  };
}

/** A response object (content, or `type: 'null'`) with the headers every answer carries. */
function withEveryHeader(entry: Schema): Schema {
  const response =
    'content' in entry || entry.type === 'null'
      ? entry
      : { description: entry.description ?? 'The answer', content: { 'application/json': { schema: entry } } };
  const every = Object.fromEntries(
    Object.keys(EVERY_RESPONSE_HEADERS).map((name) => [name, { $ref: `#/components/headers/${name}` }]),
  );
  return { ...response, headers: { ...every, ...(response.headers as Schema | undefined) } };
}

interface Operation {
  'x-body-optional'?: boolean;
  requestBody?: { required?: boolean };
  responses?: Record<string, { headers?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Document {
  paths?: Record<string, Record<string, Operation>>;
}

/**
 * `@fastify/swagger` wraps every response header in `{ schema }` and marks every body required:
 * a header that is a component is referenced as one, and an optional body is said to be.
 */
function finishDocument(document: Document): Document {
  for (const operation of Object.values(document.paths ?? {}).flatMap((item) => Object.values(item))) {
    if (operation['x-body-optional']) {
      if (operation.requestBody) operation.requestBody.required = false;
      delete operation['x-body-optional'];
    }
    for (const response of Object.values(operation.responses ?? {})) {
      for (const [name, header] of Object.entries(response.headers ?? {})) {
        const target = header.schema?.$ref;
        if (target?.startsWith('#/components/headers/')) response.headers![name] = { $ref: target } as never;
      }
    }
  }
  return document;
}
