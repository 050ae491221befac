import type { RouteDefinition } from '../../../../platform/context/context-manifest.js';
import { HttpProblemError } from '../../../../platform/http/problem.js';
import { json, problem, Problems, ref, share } from '../../../../platform/http/schemas.js';
import type { AuthApi } from '../auth-api.js';

/** The signed-in user, as the accounts' owner shows it. */
export const meRoute: RouteDefinition<AuthApi> = {
  register: (app, deps) => {
    share(app, deps.accounts.profile.user);
    app.get(
      '/api/v1/auth/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user',
          response: {
            200: json('The signed-in user', ref(deps.accounts.profile.user), 'ETag'),
            401: Problems.unauthorized,
            404: problem('`not_found`: the account was deleted'),
            503: Problems.unavailable,
          },
        },
      },
      async (request, reply) => {
        const caller = await deps.access.authorize(request, 'authenticated');
        const profile = await deps.accounts.profile.find(caller.id);
        if (!profile) throw HttpProblemError.of('not_found', `user ${caller.id} was not found`);
        return reply.header('etag', `"${profile.version}"`).send(profile.body as Record<string, unknown>);
      },
    );
  },
};
