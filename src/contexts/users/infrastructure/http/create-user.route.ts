import type { RouteDefinition } from '../../../../platform/context/context-manifest.js';
import { Accepted, done, share, WriteHeaders, WriteProblems } from '../../../../platform/http/schemas.js';
import type { UsersApi } from './users-api.js';
import { CreateUserBody, UserRef, UserSchema } from './users.schemas.js';

export const createUserRoute: RouteDefinition<UsersApi> = {
  sends: ['users.create_user'],
  register: (app, api) => {
    share(app, UserSchema);
    app.post(
      '/api/v1/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Create a user (admin)',
          headers: WriteHeaders,
          body: CreateUserBody,
          response: { 201: done('The new user', UserRef, 'Location'), 202: Accepted, ...WriteProblems },
        },
      },
      async (request, reply) =>
        api.createUser(request, reply, await api.platform.access.authorize(request, 'admin'), request.body),
    );
  },
};
