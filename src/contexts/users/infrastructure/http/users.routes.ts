import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Clock } from '../../../../shared/application/ports/clock.js';
import type { IdGenerator } from '../../../../shared/application/ports/id-generator.js';
import type { RateLimiter } from '../../../../shared/application/ports/rate-limiter.js';
import { RateLimitedError } from '../../../../shared/domain/rate-limited-error.js';
import type { PasswordHasher } from '../../../../shared/application/ports/password-hasher.js';
import type { QueryBus } from '../../../../shared/application/query-bus.js';
import { ValidationError } from '../../../../shared/domain/domain-error.js';
import { collect } from '../../../../shared/domain/result.js';
import type { AccessPolicy, Caller } from '../../../../platform/http/access-policy.js';
import type { CommandResponder, WriteEndpoint } from '../../../../platform/http/command-responder.js';
import {
  AcceptedSchema,
  IdParams,
  ProblemSchema,
  WriteHeaders,
} from '../../../../platform/http/schemas.js';
import type { HttpServer } from '../../../../platform/http/server.js';
import type { ActivateUserCommand } from '../../application/activate-user/activate-user.command.js';
import type { CreateUserCommand } from '../../application/create-user/create-user.command.js';
import type { DeactivateUserCommand } from '../../application/deactivate-user/deactivate-user.command.js';
import type { DeleteUserCommand } from '../../application/delete-user/delete-user.command.js';
import type { GetUserQuery } from '../../application/get-user/get-user.query.js';
import type { ListUsersQuery, UserPage } from '../../application/list-users/list-users.query.js';
import type { UpdateProfileCommand } from '../../application/update-profile/update-profile.command.js';
import type { UserView, UserViewReader } from '../../application/user-view.js';
import { newUserFields } from '../../application/create-user/new-user-fields.js';
import type { PasswordPolicy } from '../../../../shared/domain/password-policy.js';
import { PersonName } from '../../domain/person-name.js';
import { Username } from '../../domain/username.js';
import { toUserResponse } from './user.mapper.js';
import {
  CreateUserBody,
  ListUsersQuerystring,
  RegisterBody,
  UpdateProfileBody,
  UserPageSchema,
  UserSchema,
} from './users.schemas.js';

export interface UsersRoutesDeps {
  readonly queries: QueryBus;
  readonly views: UserViewReader;
  readonly responder: CommandResponder;
  readonly access: AccessPolicy;
  readonly ids: IdGenerator;
  readonly hasher: PasswordHasher;
  readonly passwordPolicy: PasswordPolicy;
  readonly limiter: RateLimiter;
  readonly registrationsPerIpPerHour: number;
  readonly clock: Clock;
}

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
const writeProblems = { ...problems, 409: ProblemSchema, 412: ProblemSchema, 422: ProblemSchema, 503: ProblemSchema };

export function registerUsersRoutes(app: HttpServer, deps: UsersRoutesDeps): void {
  const { queries, responder, access } = deps;
  const endpoint = (id: string, successStatus: 200 | 201 | 204, location?: string): WriteEndpoint => ({
    resourceId: id,
    successStatus,
    ...(location && { location }),
    loadView: async (resourceId) => {
      const view = await deps.views.findById(resourceId);
      return view ? { version: view.version, body: toUserResponse(view) } : null;
    },
  });

  /** Shared by admin creation and self sign-up: rules first, then hash, then the command. */
  const createUser = async (
    request: FastifyRequest,
    reply: FastifyReply,
    caller: Caller,
    body: Static<typeof CreateUserBody>,
  ) => {
    // Domain rules first, synchronously: a bad request never reaches the queue.
    const values = newUserFields(body);
    deps.passwordPolicy.check(body.password, {
      emailLocalPart: values.email.localPart,
      username: values.username.value,
    });
    const userId = deps.ids.next();
    return responder.respond(request, reply, caller, endpoint(userId, 201, `/api/v1/users/${userId}`), async () => {
      const command: CreateUserCommand = {
        type: 'users.create_user',
        userId,
        email: values.email.value,
        username: values.username.value,
        firstName: values.firstName.value,
        lastName: values.lastName.value,
        roles: values.roles,
        // The only place the plaintext is used; it never leaves this process.
        passwordHash: await deps.hasher.hash(body.password),
      };
      return command;
    });
  };

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user (admin)',
        headers: WriteHeaders,
        body: CreateUserBody,
        response: { 201: UserSchema, 202: AcceptedSchema, ...writeProblems },
      },
    },
    async (request, reply) => createUser(request, reply, await access.authorize(request, 'admin'), request.body),
  );

  app.post(
    '/api/v1/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign up (role user)',
        security: [],
        headers: WriteHeaders,
        body: RegisterBody,
        response: { 201: UserSchema, 202: AcceptedSchema, ...writeProblems, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      const limit = await deps.limiter.hit(
        `register:ip:${request.ip}`,
        deps.registrationsPerIpPerHour,
        3_600,
        deps.clock.now(),
      );
      if (!limit.allowed) throw new RateLimitedError(limit.retryAfterSeconds);
      // Sign-ups share one anonymous caller for idempotency, scoped by address.
      const caller: Caller = { id: `anonymous:${request.ip}`, roles: [] };
      return createUser(request, reply, caller, { ...request.body, roles: ['user'] });
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: UserSchema, ...problems } },
    },
    async (request, reply) => {
      const caller = await access.authorize(request, 'authenticated');
      const view = await queries.ask<UserView, GetUserQuery>({ type: 'users.get_user', userId: caller.id });
      return reply.header('etag', `"${view.version}"`).send(toUserResponse(view));
    },
  );

  app.get(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Read a user (admin, self)',
        params: IdParams,
        response: { 200: UserSchema, ...problems },
      },
    },
    async (request, reply) => {
      await access.authorize(request, 'admin-or-self', request.params.id);
      const view = await queries.ask<UserView, GetUserQuery>({ type: 'users.get_user', userId: request.params.id });
      return reply.header('etag', `"${view.version}"`).send(toUserResponse(view));
    },
  );

  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List and search users (admin)',
        querystring: ListUsersQuerystring,
        response: { 200: UserPageSchema, ...problems },
      },
    },
    async (request) => {
      await access.authorize(request, 'admin');
      const { limit, ...filters } = request.query;
      const page = await queries.ask<UserPage<UserView>, ListUsersQuery>({
        type: 'users.list_users',
        ...filters,
        ...(limit !== undefined && { limit: Number(limit) }),
      });
      return { items: page.items.map(toUserResponse), nextCursor: page.nextCursor };
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Update a profile (admin, self)',
        params: IdParams,
        headers: Type.Object({
          ...WriteHeaders.properties,
          'if-match': Type.Optional(Type.String({ description: '"<version>" from the ETag of GET' })),
        }),
        body: UpdateProfileBody,
        response: { 200: UserSchema, 202: AcceptedSchema, ...writeProblems },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const caller = await access.authorize(request, 'admin-or-self', id);
      const expectedVersion = parseIfMatch(request.headers['if-match']);
      const body = request.body;
      const changes = collect({
        firstName: () =>
          body.firstName === undefined ? undefined : PersonName.create('firstName', body.firstName).value,
        lastName: () => (body.lastName === undefined ? undefined : PersonName.create('lastName', body.lastName).value),
        username: () => (body.username === undefined ? undefined : Username.create(body.username).value),
      });
      return responder.respond(request, reply, caller, endpoint(id, 200), () => {
        const command: UpdateProfileCommand = {
          type: 'users.update_profile',
          userId: id,
          ...(expectedVersion !== undefined && { expectedVersion }),
          ...(changes.firstName !== undefined && { firstName: changes.firstName }),
          ...(changes.lastName !== undefined && { lastName: changes.lastName }),
          ...(changes.username !== undefined && { username: changes.username }),
        };
        return command;
      });
    },
  );

  for (const action of ['deactivate', 'activate'] as const) {
    app.post(
      `/api/v1/users/:id/${action}`,
      {
        schema: {
          tags: ['users'],
          summary: `${action === 'activate' ? 'Activate' : 'Deactivate'} a user (admin)`,
          params: IdParams,
          headers: WriteHeaders,
          response: { 200: UserSchema, 202: AcceptedSchema, ...writeProblems },
        },
      },
      async (request, reply) => {
        const id = request.params.id;
        const caller = await access.authorize(request, 'admin');
        return responder.respond(request, reply, caller, endpoint(id, 200), () =>
          action === 'activate'
            ? ({ type: 'users.activate_user', userId: id } satisfies ActivateUserCommand)
            : ({ type: 'users.deactivate_user', userId: id } satisfies DeactivateUserCommand),
        );
      },
    );
  }

  app.delete(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Delete a user and erase their personal data (admin, self)',
        params: IdParams,
        headers: WriteHeaders,
        response: { 202: AcceptedSchema, 204: Type.Null(), ...writeProblems },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const caller = await access.authorize(request, 'admin-or-self', id);
      return responder.respond(
        request,
        reply,
        caller,
        endpoint(id, 204),
        () =>
          ({
            type: 'users.delete_user',
            userId: id,
          }) satisfies DeleteUserCommand,
      );
    },
  );
}

/** `If-Match: "3"` (also `W/"3"` or a bare `3`): the version the client read. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw new ValidationError('If-Match', 'must be the quoted version from the ETag, like "3"');
  return Number(match[1]);
}
