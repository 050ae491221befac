import { Type, type Static } from 'typebox';
import { PasswordHash, UserId } from '../command-fields.js';

export const UpgradePasswordHashCommand = Type.Object({
  type: Type.Literal('users.upgrade_password_hash'),
  userId: UserId,
  /** The hash being replaced: if the password changed meanwhile, the upgrade is dropped. */
  previousHash: PasswordHash,
  passwordHash: PasswordHash,
});
export type UpgradePasswordHashCommand = Static<typeof UpgradePasswordHashCommand>;
