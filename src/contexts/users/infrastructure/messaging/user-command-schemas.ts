import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { Command } from '../../../../shared/application/command-bus.js';
import { PoisonMessageError } from '../../../../platform/messaging/retry-policy.js';
import { USER_ROLES } from '../../domain/user-role.js';

const Id = Type.String({ format: 'uuid' });
const Text = Type.String({ maxLength: 1_000 });

/**
 * The wire shape of every users command. The worker checks a message against its schema before
 * anything else: a message that does not match can never succeed, so it is poison, not a retry.
 */
export const UserCommandSchemas: Readonly<Record<string, TSchema>> = {
  'users.create_user': Type.Object({
    type: Type.Literal('users.create_user'),
    userId: Id,
    email: Text,
    username: Text,
    firstName: Text,
    lastName: Text,
    passwordHash: Type.String({ minLength: 1 }),
    roles: Type.Array(Type.Union(USER_ROLES.map((r) => Type.Literal(r)))),
  }),
  'users.update_profile': Type.Object({
    type: Type.Literal('users.update_profile'),
    userId: Id,
    expectedVersion: Type.Optional(Type.Integer({ minimum: 0 })),
    firstName: Type.Optional(Text),
    lastName: Type.Optional(Text),
    username: Type.Optional(Text),
  }),
  'users.deactivate_user': Type.Object({ type: Type.Literal('users.deactivate_user'), userId: Id }),
  'users.activate_user': Type.Object({ type: Type.Literal('users.activate_user'), userId: Id }),
  'users.delete_user': Type.Object({ type: Type.Literal('users.delete_user'), userId: Id }),
  'users.upgrade_password_hash': Type.Object({
    type: Type.Literal('users.upgrade_password_hash'),
    userId: Id,
    previousHash: Type.String({ minLength: 1 }),
    passwordHash: Type.String({ minLength: 1 }),
  }),
  'users.change_password': Type.Object({
    type: Type.Literal('users.change_password'),
    userId: Id,
    passwordHash: Type.String({ minLength: 1 }),
  }),
};

export function parseUserCommand(body: unknown): Command {
  const type = (body as { type?: unknown } | null)?.type;
  const schema = typeof type === 'string' ? UserCommandSchemas[type] : undefined;
  if (!schema) throw new PoisonMessageError(`unknown command type ${String(type)}`);
  if (!Value.Check(schema, body)) throw new PoisonMessageError(`malformed ${type} command`);
  return body as Command;
}
