import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { PlatformServices } from '../../../../platform/context/platform-services.js';
import type { Caller } from '../../../../platform/http/access-policy.js';
import { buildUsersApi } from '../http/users-api.js';
import { toUserResponse } from '../http/user.mapper.js';
import { RegisterBody, UserSchema } from '../http/users.schemas.js';
import { AccountEmailWriter } from './account-email-writer.js';
import { PasswordHashUpgrader } from './password-hash-upgrader.js';
import { PasswordHashWriter } from './password-hash-writer.js';
import { PostgresCredentialsReader } from './postgres-credentials-reader.js';

/**
 * What the users context offers the auth context, one adapter per port auth declares: the
 * credentials, the password-hash commands, self sign-up and the signed-in user's profile. Auth
 * never reads users' tables nor builds its commands; the composition root passes this in.
 */
export function userAccounts(platform: PlatformServices) {
  const { gateway, statuses, ids, hasher, logger } = platform;
  const api = buildUsersApi(platform);
  return {
    credentials: platform.instrument('users.users', new PostgresCredentialsReader(platform.database)),
    passwordWriter: new PasswordHashWriter(gateway, statuses, ids, () => ids.next()),
    upgrader: new PasswordHashUpgrader(gateway, hasher, ids, logger),
    emailWriter: new AccountEmailWriter(gateway, statuses, ids),
    signUp: {
      body: RegisterBody,
      user: UserSchema,
      respond: async (
        request: FastifyRequest,
        reply: FastifyReply,
        caller: Caller,
        body: Static<typeof RegisterBody>,
      ) => api.createUser(request, reply, caller, { ...body, roles: ['user'] }, false),
    },
    profile: {
      user: UserSchema,
      find: async (userId: string) => {
        const view = await api.views.findById(userId);
        return view ? { version: view.version, body: toUserResponse(view) } : null;
      },
    },
  };
}
