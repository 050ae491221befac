import { Type, type Static } from 'typebox';
import { ExpectedVersions, Text, UserId } from '../command-fields.js';

export const UpdateProfileCommand = Type.Object({
  type: Type.Literal('users.update_profile'),
  userId: UserId,
  expectedVersions: ExpectedVersions,
  firstName: Type.Optional(Text),
  lastName: Type.Optional(Text),
  username: Type.Optional(Text),
});
export type UpdateProfileCommand = Static<typeof UpdateProfileCommand>;
