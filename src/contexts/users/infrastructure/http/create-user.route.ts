import { Accepted, done, WriteHeaders, WriteProblems } from '../../../../platform/http/schemas.js';
import { route } from './users-api.js';
import { CreateUserBody, UserRef } from './users.schemas.js';

export const createUserRoute = route({
  method: 'POST',
  url: '/api/v1/users',
  sends: ['users.create_user'],
  schema: {
    summary: 'Create a user (admin)',
    headers: WriteHeaders,
    body: CreateUserBody,
    response: { 201: done('The new user', UserRef, 'Location'), 202: Accepted, ...WriteProblems },
  },
  handler: (api) => async (request, reply) =>
    api.createUser(request, reply, await api.platform.access.authorize(request, 'admin'), request.body),
});
