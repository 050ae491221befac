import type { RouteDefinition } from '../../../../platform/context/context-manifest.js';
import { parseIfMatch } from '../../../../platform/http/if-match.js';
import { ConditionalWriteHeaders, IdParams, share } from '../../../../platform/http/schemas.js';
import type { UsersApi } from './users-api.js';
import { UserSchema, userWriteResponses } from './users.schemas.js';

/** `POST /users/{id}/activate` and `/deactivate`: the same shape, one command each. */
function statusRoute(action: 'activate' | 'deactivate'): RouteDefinition<UsersApi> {
  const type = `users.${action}_user` as const;
  return {
    sends: [type],
    register: (app, api) => {
      share(app, UserSchema);
      app.post(
        `/api/v1/users/:id/${action}`,
        {
          schema: {
            tags: ['users'],
            summary: `${action === 'activate' ? 'Activate' : 'Deactivate'} a user (admin)`,
            params: IdParams,
            headers: ConditionalWriteHeaders,
            response: userWriteResponses(`The ${action}d user`),
          },
        },
        async (request, reply) => {
          const userId = request.params.id;
          const caller = await api.platform.access.authorize(request, 'admin');
          const expectedVersions = parseIfMatch(request.headers['if-match']);
          return api.platform.responder.respond(request, reply, caller, api.endpoint(userId, 200), () => ({
            type,
            userId,
            ...(expectedVersions && { expectedVersions }),
          }));
        },
      );
    },
  };
}

export const activateUserRoute = statusRoute('activate');
export const deactivateUserRoute = statusRoute('deactivate');
