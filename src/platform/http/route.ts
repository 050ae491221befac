import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifyRequest,
  FastifySchema,
  HTTPMethods,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify';
import type { RouteDefinition } from '../context/context-manifest.js';
import { shareReferenced } from './schemas.js';

/** A handler whose request and reply are typed by the route's TypeBox schema. */
export type RouteHandler<S extends FastifySchema> = RouteHandlerMethod<
  Server,
  IncomingMessage,
  ServerResponse,
  RouteGenericInterface,
  ContextConfigDefault,
  S,
  TypeBoxTypeProvider,
  FastifyBaseLogger
>;

/** One route of a context: only what is its own. The tag and the shared schemas come with registering it. */
export interface RouteSpec<A, S extends FastifySchema> {
  readonly method: HTTPMethods;
  readonly url: string;
  /** The command types the route sends (checked at start against the declared commands). */
  readonly sends?: readonly string[];
  /** Summary, parameters, body and answers; built from `api` where another context owns a schema. */
  readonly schema: S | ((api: A) => S);
  readonly preValidation?: (request: FastifyRequest) => Promise<void>;
  readonly handler: (api: A) => RouteHandler<S>;
}

/**
 * `const route = routesOf<Api>()`, then `route({ method, url, schema, handler })`: a route
 * definition with its request typed by its schema, tagged in OpenAPI with its context's name,
 * and the shared schemas it refers to (`ref`) added to the server.
 */
export function routesOf<A>() {
  return <S extends FastifySchema>(spec: RouteSpec<A, S>): RouteDefinition<A> => ({
    ...(spec.sends && { sends: spec.sends }),
    register: (app, api, tag) => {
      const schema = typeof spec.schema === 'function' ? spec.schema(api) : spec.schema;
      shareReferenced(app, schema);
      app.route({
        method: spec.method,
        url: spec.url,
        schema: { tags: [tag], ...schema } as FastifySchema,
        ...(spec.preValidation && { preValidation: spec.preValidation }),
        handler: spec.handler(api) as RouteHandler<FastifySchema>,
      });
    },
  });
}
