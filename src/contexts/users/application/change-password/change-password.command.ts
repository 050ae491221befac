import { Type, type Static } from 'typebox';
import { PasswordHash, UserId } from '../command-fields.js';

/** Carries the new hash only; the API verified the current password and hashed the new one. */
export const ChangePasswordCommand = Type.Object({
  type: Type.Literal('users.change_password'),
  userId: UserId,
  passwordHash: PasswordHash,
});
export type ChangePasswordCommand = Static<typeof ChangePasswordCommand>;
