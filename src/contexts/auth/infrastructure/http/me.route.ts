import type { RouteDefinition } from '../../../../platform/context/context-manifest.js';
import { HttpProblemError } from '../../../../platform/http/problem.js';
import { ReadProblems } from '../../../../platform/http/schemas.js';
import type { AuthApi } from '../auth-api.js';

/** The signed-in user, as the accounts' owner shows it. */
export const meRoute: RouteDefinition<AuthApi> = {
  register: (app, deps) =>
    app.get(
      '/api/v1/auth/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user',
          response: { 200: deps.accounts.profile.user, ...ReadProblems },
        },
      },
      async (request, reply) => {
        const caller = await deps.access.authorize(request, 'authenticated');
        const profile = await deps.accounts.profile.find(caller.id);
        if (!profile) throw HttpProblemError.of('not_found', `user ${caller.id} was not found`);
        return reply.header('etag', `"${profile.version}"`).send(profile.body as Record<string, unknown>);
      },
    ),
};
