import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { ApiSide } from '../../../../platform/context/context-manifest.js';
import type { PlatformServices } from '../../../../platform/context/platform-services.js';
import type { Caller } from '../../../../platform/http/access-policy.js';
import type { WriteEndpoint } from '../../../../platform/http/command-responder.js';
import { routesOf } from '../../../../platform/http/route.js';
import type { QueryBus } from '../../../../shared/application/query-bus.js';
import { createUserCommand, newUserFields } from '../../application/create-user/new-user-fields.js';
import { GetUserHandler } from '../../application/get-user/get-user.handler.js';
import { ListUsersHandler } from '../../application/list-users/list-users.handler.js';
import type { UserViewReader } from '../../application/user-view.js';
import { PostgresUserViewReader } from '../projection/postgres-user-view-reader.js';
import { toUserResponse } from './user.mapper.js';
import type { CreateUserBody } from './users.schemas.js';

/** What the users routes share: the platform's write path, the read model and its queries. */
export interface UsersApi extends ApiSide {
  readonly platform: PlatformServices;
  readonly views: UserViewReader;
  readonly queries: QueryBus;
  /** How a write on one user answers: the user as the read model shows it once the command is done. */
  endpoint(userId: string, successStatus: 200 | 201 | 204, location?: string): WriteEndpoint;
  /** Admin creation and self sign-up: the rules first, then the hash, then the command. */
  createUser(
    request: FastifyRequest,
    reply: FastifyReply,
    caller: Caller,
    body: Static<typeof CreateUserBody>,
    /** Self sign-up: false, and auth mails a verification link once the account exists. */
    emailVerified?: boolean,
  ): Promise<FastifyReply>;
}

/** Declares a users route: `route({ method, url, schema, handler: (api) => … })`. */
export const route = routesOf<UsersApi>();

export function buildUsersApi(platform: PlatformServices): UsersApi {
  const views = platform.instrument('read.user_views', new PostgresUserViewReader(platform.database));
  const queries = platform.queries();
  queries
    .register('users.get_user', new GetUserHandler(views))
    .register('users.list_users', new ListUsersHandler(views));
  const endpoint = (userId: string, successStatus: 200 | 201 | 204, location?: string): WriteEndpoint => ({
    resourceId: userId,
    successStatus,
    ...(location && { location }),
    loadView: async (id) => {
      const view = await views.findById(id);
      return view ? { version: view.version, body: toUserResponse(view) } : null;
    },
  });
  return {
    platform,
    views,
    queries,
    endpoint,
    createUser: async (request, reply, caller, body, emailVerified = true) => {
      // Domain rules first, synchronously: a bad request never reaches the queue.
      const values = newUserFields(body);
      platform.passwordPolicy.check(body.password, {
        emailLocalPart: values.email.localPart,
        username: values.username.value,
      });
      const userId = platform.ids.next();
      const location = `/api/v1/users/${userId}`;
      // The only place the plaintext is used; it never leaves this process.
      return platform.responder.respond(request, reply, caller, endpoint(userId, 201, location), async () =>
        createUserCommand(userId, values, await platform.hasher.hash(body.password), emailVerified),
      );
    },
  };
}
