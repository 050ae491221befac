import { parseIfMatch } from '../../../../platform/http/if-match.js';
import {
  Accepted,
  ConditionalWriteHeaders,
  IdParams,
  noContent,
  ResourceWriteProblems,
} from '../../../../platform/http/schemas.js';
import type { DeleteUserCommand } from '../../application/delete-user/delete-user.command.js';
import { route } from './users-api.js';

export const deleteUserRoute = route({
  method: 'DELETE',
  url: '/api/v1/users/:id',
  sends: ['users.delete_user'],
  schema: {
    summary: 'Delete a user and erase their personal data (admin, self)',
    params: IdParams,
    headers: ConditionalWriteHeaders,
    response: {
      202: Accepted,
      204: noContent('Deleted (with `Prefer: wait`)', 'Preference-Applied'),
      ...ResourceWriteProblems,
    },
  },
  handler: (api) => async (request, reply) => {
    const userId = request.params.id;
    const caller = await api.platform.access.authorize(request, 'admin-or-self', userId);
    const expectedVersions = parseIfMatch(request.headers['if-match']);
    const command: DeleteUserCommand = {
      type: 'users.delete_user',
      userId,
      ...(expectedVersions && { expectedVersions }),
    };
    return api.platform.responder.respond(request, reply, caller, api.endpoint(userId, 204), () => command);
  },
});
