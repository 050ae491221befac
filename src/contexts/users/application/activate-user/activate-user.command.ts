import type { Static } from 'typebox';
import { userCommand } from '../command-fields.js';

export const ActivateUserCommand = userCommand('users.activate_user');
export type ActivateUserCommand = Static<typeof ActivateUserCommand>;
