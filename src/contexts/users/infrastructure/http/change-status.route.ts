import { parseIfMatch } from '../../../../platform/http/if-match.js';
import { ConditionalWriteHeaders, IdParams } from '../../../../platform/http/schemas.js';
import { route } from './users-api.js';
import { userWriteResponses } from './users.schemas.js';

/** `POST /users/{id}/activate` and `/deactivate`: the same shape, one command each. */
function statusRoute(action: 'activate' | 'deactivate') {
  const type = `users.${action}_user` as const;
  return route({
    method: 'POST',
    url: `/api/v1/users/:id/${action}`,
    sends: [type],
    schema: {
      summary: `${action === 'activate' ? 'Activate' : 'Deactivate'} a user (admin)`,
      params: IdParams,
      headers: ConditionalWriteHeaders,
      response: userWriteResponses(`The ${action}d user`),
    },
    handler: (api) => async (request, reply) => {
      const userId = request.params.id;
      const caller = await api.platform.access.authorize(request, 'admin');
      const expectedVersions = parseIfMatch(request.headers['if-match']);
      return api.platform.responder.respond(request, reply, caller, api.endpoint(userId, 200), () => ({
        type,
        userId,
        ...(expectedVersions && { expectedVersions }),
      }));
    },
  });
}

export const activateUserRoute = statusRoute('activate');
export const deactivateUserRoute = statusRoute('deactivate');
