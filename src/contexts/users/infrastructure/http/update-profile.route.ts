import { parseIfMatch } from '../../../../platform/http/if-match.js';
import { ConditionalWriteHeaders, IdParams } from '../../../../platform/http/schemas.js';
import { collect } from '../../../../shared/domain/result.js';
import type { UpdateProfileCommand } from '../../application/update-profile/update-profile.command.js';
import { PersonName } from '../../domain/person-name.js';
import { Username } from '../../domain/username.js';
import { route } from './users-api.js';
import { UpdateProfileBody, userWriteResponses } from './users.schemas.js';

export const updateProfileRoute = route({
  method: 'PATCH',
  url: '/api/v1/users/:id',
  sends: ['users.update_profile'],
  schema: {
    summary: 'Update a profile (admin, self)',
    params: IdParams,
    headers: ConditionalWriteHeaders,
    body: UpdateProfileBody,
    response: userWriteResponses('The updated user'),
  },
  handler: (api) => async (request, reply) => {
    const id = request.params.id;
    const caller = await api.platform.access.authorize(request, 'admin-or-self', id);
    const expectedVersions = parseIfMatch(request.headers['if-match']);
    const body = request.body;
    // The domain's rules answer at once; the handler applies them again on arrival.
    const changes = collect({
      firstName: () => (body.firstName === undefined ? undefined : PersonName.create('firstName', body.firstName)),
      lastName: () => (body.lastName === undefined ? undefined : PersonName.create('lastName', body.lastName)),
      username: () => (body.username === undefined ? undefined : Username.create(body.username)),
    });
    const command: UpdateProfileCommand = {
      type: 'users.update_profile',
      userId: id,
      ...(expectedVersions && { expectedVersions }),
      ...(changes.firstName && { firstName: changes.firstName.value }),
      ...(changes.lastName && { lastName: changes.lastName.value }),
      ...(changes.username && { username: changes.username.value }),
    };
    return api.platform.responder.respond(request, reply, caller, api.endpoint(id, 200), () => command);
  },
});
