import type { Static } from 'typebox';
import { userCommand } from '../command-fields.js';

export const DeleteUserCommand = userCommand('users.delete_user');
export type DeleteUserCommand = Static<typeof DeleteUserCommand>;
