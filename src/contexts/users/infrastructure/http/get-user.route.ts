import type { RouteDefinition } from '../../../../platform/context/context-manifest.js';
import { IdParams, json, Problems, ReadProblems, share } from '../../../../platform/http/schemas.js';
import type { GetUserQuery } from '../../application/get-user/get-user.query.js';
import type { UserView } from '../../application/user-view.js';
import { toUserResponse } from './user.mapper.js';
import type { UsersApi } from './users-api.js';
import { UserRef, UserSchema } from './users.schemas.js';

export const getUserRoute: RouteDefinition<UsersApi> = {
  register: (app, api) => {
    share(app, UserSchema);
    app.get(
      '/api/v1/users/:id',
      {
        schema: {
          tags: ['users'],
          summary: 'Read a user (admin, self)',
          params: IdParams,
          response: { 200: json('The user', UserRef, 'ETag'), ...ReadProblems, 404: Problems.notFound },
        },
      },
      async (request, reply) => {
        await api.platform.access.authorize(request, 'admin-or-self', request.params.id);
        const view = await api.queries.ask<UserView, GetUserQuery>({
          type: 'users.get_user',
          userId: request.params.id,
        });
        return reply.header('etag', `"${view.version}"`).send(toUserResponse(view));
      },
    );
  },
};
