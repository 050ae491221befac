import { json, ReadProblems } from '../../../../platform/http/schemas.js';
import type { ListUsersQuery, UserPage } from '../../application/list-users/list-users.query.js';
import type { UserView } from '../../application/user-view.js';
import { toUserResponse } from './user.mapper.js';
import { route } from './users-api.js';
import { ListUsersQuerystring, UserPageSchema } from './users.schemas.js';

export const listUsersRoute = route({
  method: 'GET',
  url: '/api/v1/users',
  schema: {
    summary: 'List and search users (admin)',
    querystring: ListUsersQuerystring,
    response: { 200: json('A page of users, in creation order', UserPageSchema), ...ReadProblems },
  },
  handler: (api) => async (request) => {
    await api.platform.access.authorize(request, 'admin');
    const { limit, ...filters } = request.query;
    const page = await api.queries.ask<UserPage<UserView>, ListUsersQuery>({
      type: 'users.list_users',
      ...filters,
      ...(limit !== undefined && { limit }),
    });
    return { items: page.items.map(toUserResponse), nextCursor: page.nextCursor };
  },
});
