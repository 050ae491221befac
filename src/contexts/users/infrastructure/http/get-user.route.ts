import { IdParams, json, Problems, ReadProblems } from '../../../../platform/http/schemas.js';
import type { GetUserQuery } from '../../application/get-user/get-user.query.js';
import type { UserView } from '../../application/user-view.js';
import { toUserResponse } from './user.mapper.js';
import { route } from './users-api.js';
import { UserRef } from './users.schemas.js';

export const getUserRoute = route({
  method: 'GET',
  url: '/api/v1/users/:id',
  schema: {
    summary: 'Read a user (admin, self)',
    params: IdParams,
    response: { 200: json('The user', UserRef, 'ETag'), ...ReadProblems, 404: Problems.notFound },
  },
  handler: (api) => async (request, reply) => {
    await api.platform.access.authorize(request, 'admin-or-self', request.params.id);
    const view = await api.queries.ask<UserView, GetUserQuery>({ type: 'users.get_user', userId: request.params.id });
    return reply.header('etag', `"${view.version}"`).send(toUserResponse(view));
  },
});
