import { Type, type Static } from 'typebox';
import { Text, UserId } from '../command-fields.js';

/** Sent by auth's adapter once an email-change token was consumed from the new address. */
export const ChangeEmailCommand = Type.Object({
  type: Type.Literal('users.change_email'),
  userId: UserId,
  email: Text,
});
export type ChangeEmailCommand = Static<typeof ChangeEmailCommand>;
