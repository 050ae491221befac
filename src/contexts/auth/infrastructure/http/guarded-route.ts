import type { FastifyRequest, FastifySchema } from 'fastify';
import type { RouteHandler, RouteSpec } from '../../../../platform/http/route.js';
import { IdParams, ReadProblems } from '../../../../platform/http/schemas.js';
import { route, type AuthApi } from '../auth-api.js';
import type { AuthenticatedCaller } from './bearer-access-policy.js';
import { RecentProblems, recentCaller } from './recent-authentication.js';

type Answers = Record<number, unknown>;

interface GuardedRouteSpec<W, S extends FastifySchema & { response: Answers }> extends Omit<
  RouteSpec<AuthApi, S>,
  'schema' | 'handler'
> {
  /** The route's own schema and answers; what the guard refuses with is added. */
  readonly schema: S;
  /** The work, for whoever the guard let through. */
  readonly handler: (deps: AuthApi, who: W, ...args: Parameters<RouteHandler<S>>) => Promise<unknown>;
}

/**
 * Routes behind one guard: it runs before every route's work and hands it who passed, and every
 * route's schema declares what the guard refuses with, so neither can be forgotten.
 */
function guardedRoutes<W>(
  guard: (deps: AuthApi, request: FastifyRequest) => Promise<W>,
  declared: FastifySchema & { response: Answers },
) {
  return <S extends FastifySchema & { response: Answers }>(spec: GuardedRouteSpec<W, S>) =>
    route({
      ...spec,
      schema: { ...declared, ...spec.schema, response: { ...spec.schema.response, ...declared.response } } as S,
      handler: (deps) =>
        (async (request, reply) => spec.handler(deps, await guard(deps, request), request, reply)) as RouteHandler<S>,
    });
}

/** API.md's "bearer, recent": the caller, whose sign-in is under 5 minutes old. */
export const recentRoute = guardedRoutes<AuthenticatedCaller>(recentCaller, { response: RecentProblems });

/** An admin acting on one user, `/api/v1/users/:id/…`: the user's id and the admin's. */
export const adminOfUserRoute = guardedRoutes<{ userId: string; adminId: string }>(
  async (deps, request) => {
    const admin = await deps.access.authorize(request, 'admin');
    return { userId: (request.params as { id: string }).id, adminId: admin.id };
  },
  { params: IdParams, response: ReadProblems },
);
