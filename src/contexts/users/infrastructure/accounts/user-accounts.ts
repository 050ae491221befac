import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { PlatformServices } from '../../../../platform/context/platform-services.js';
import type { Caller } from '../../../../platform/http/access-policy.js';
import { buildUsersApi } from '../http/users-api.js';
import { toUserResponse } from '../http/user.mapper.js';
import { RegisterBody, UserSchema } from '../http/users.schemas.js';
import { AccountEmailWriter } from './account-email-writer.js';
import { PasswordHashUpgrader } from './password-hash-upgrader.js';
import { newUserFields } from '../../application/create-user/new-user-fields.js';
import type { CreateUserCommand } from '../../application/create-user/create-user.command.js';
import { AwaitedCommands } from './awaited-commands.js';
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
  const awaited = new AwaitedCommands(gateway, statuses, ids);
  return {
    credentials: platform.instrument('users.users', new PostgresCredentialsReader(platform.database)),
    passwordWriter: new PasswordHashWriter(awaited),
    upgrader: new PasswordHashUpgrader(gateway, hasher, ids, logger),
    emailWriter: new AccountEmailWriter(awaited),
    signUp: {
      body: RegisterBody,
      user: UserSchema,
      respond: async (
        request: FastifyRequest,
        reply: FastifyReply,
        caller: Caller,
        body: Static<typeof RegisterBody>,
      ) => api.createUser(request, reply, caller, { ...body, roles: ['user'] }, false),
      // REQUIRE_EMAIL_VERIFICATION: the account is created (rules checked first) and nothing is
      // answered about it, so that sign-up reads the same whether or not the address is taken.
      enqueue: async (caller: Caller, body: Static<typeof RegisterBody>) => {
        const values = newUserFields({ ...body, roles: ['user'] });
        platform.passwordPolicy.check(body.password, {
          emailLocalPart: values.email.localPart,
          username: values.username.value,
        });
        const userId = ids.next();
        const command: CreateUserCommand = {
          type: 'users.create_user',
          userId,
          email: values.email.value,
          username: values.username.value,
          firstName: values.firstName.value,
          lastName: values.lastName.value,
          roles: values.roles,
          emailVerified: false,
          locale: values.locale,
          passwordHash: await hasher.hash(body.password),
        };
        const commandId = ids.next();
        await gateway.accept(command, { commandId, resourceId: userId, caller: caller.id, correlationId: commandId });
      },
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
