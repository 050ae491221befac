import { Type, type Static } from 'typebox';
import { UserId } from '../command-fields.js';

/** Sent by auth's adapter once a verification token was consumed: the address is the owner's. */
export const VerifyEmailCommand = Type.Object({ type: Type.Literal('users.verify_email'), userId: UserId });
export type VerifyEmailCommand = Static<typeof VerifyEmailCommand>;
