import { Type, type Static } from 'typebox';
import { Text, UserId } from '../command-fields.js';

export const UpdateProfileCommand = Type.Object({
  type: Type.Literal('users.update_profile'),
  userId: UserId,
  /** From `If-Match`: the version the client based its change on. */
  expectedVersion: Type.Optional(Type.Integer({ minimum: 0 })),
  firstName: Type.Optional(Text),
  lastName: Type.Optional(Text),
  username: Type.Optional(Text),
});
export type UpdateProfileCommand = Static<typeof UpdateProfileCommand>;
