import { Type, type Static } from 'typebox';
import { LOCALES } from '../../domain/locale.js';
import { USER_ROLES } from '../../domain/user-role.js';
import { PasswordHash, Text, UserId } from '../command-fields.js';

/** Carries the password hash only: the plaintext is hashed in the API and never travels. */
export const CreateUserCommand = Type.Object({
  type: Type.Literal('users.create_user'),
  userId: UserId,
  email: Text,
  username: Text,
  firstName: Text,
  lastName: Text,
  passwordHash: PasswordHash,
  roles: Type.Array(Type.Enum(USER_ROLES)),
  /** Absent: verified (an admin's account); self sign-up sends false, and a verification mail follows. */
  emailVerified: Type.Optional(Type.Boolean()),
  locale: Type.Optional(Type.Enum(LOCALES)),
});
export type CreateUserCommand = Static<typeof CreateUserCommand>;
