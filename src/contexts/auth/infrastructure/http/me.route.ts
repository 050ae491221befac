import { HttpProblemError } from '../../../../platform/http/problem.js';
import { json, problem, Problems, ref } from '../../../../platform/http/schemas.js';
import { route } from '../auth-api.js';

/** The signed-in user, as the accounts' owner shows it. */
export const meRoute = route({
  method: 'GET',
  url: '/api/v1/auth/me',
  schema: ({ accounts }) => ({
    summary: 'The signed-in user',
    response: {
      200: json('The signed-in user', ref(accounts.profile.user), 'ETag'),
      401: Problems.unauthorized,
      404: problem('`not_found`: the account was deleted'),
      503: Problems.unavailable,
    },
  }),
  handler: (deps) => async (request, reply) => {
    const caller = await deps.access.authorize(request, 'authenticated');
    const profile = await deps.accounts.profile.find(caller.id);
    if (!profile) throw HttpProblemError.of('not_found', `user ${caller.id} was not found`);
    return reply.header('etag', `"${profile.version}"`).send(profile.body as Record<string, unknown>);
  },
});
