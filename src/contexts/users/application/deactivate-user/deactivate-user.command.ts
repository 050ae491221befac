import type { Static } from 'typebox';
import { userCommand } from '../command-fields.js';

export const DeactivateUserCommand = userCommand('users.deactivate_user');
export type DeactivateUserCommand = Static<typeof DeactivateUserCommand>;
