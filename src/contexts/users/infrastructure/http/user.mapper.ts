import type { Static } from 'typebox';
import type { UserView } from '../../application/user-view.js';
import type { UserSchema } from './users.schemas.js';

/** Whitelists the fields a client may see; nothing else about a user can reach a response. */
export function toUserResponse(view: UserView): Static<typeof UserSchema> {
  return {
    id: view.id,
    email: view.email,
    username: view.username,
    firstName: view.firstName,
    lastName: view.lastName,
    roles: [...view.roles],
    status: view.status,
    emailVerified: view.emailVerified,
    locale: view.locale,
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
    version: view.version,
  };
}
