import { collect } from '../../../../shared/domain/result.js';
import { Email } from '../../domain/email.js';
import { PersonName } from '../../domain/person-name.js';
import { parseRoles } from '../../domain/user-role.js';
import { Username } from '../../domain/username.js';
import { parseLocale } from '../../domain/locale.js';
import type { CreateUserCommand } from './create-user.command.js';

export interface RawNewUser {
  readonly email: string;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly roles?: readonly string[] | undefined;
  readonly locale?: string | undefined;
}

/**
 * The value objects of a new user, every failure reported together. The API runs it to answer at
 * once; the handler runs it again because a command may come from anywhere.
 */
export function newUserFields(raw: RawNewUser) {
  return collect({
    email: () => Email.create(raw.email),
    username: () => Username.create(raw.username),
    firstName: () => PersonName.create('firstName', raw.firstName),
    lastName: () => PersonName.create('lastName', raw.lastName),
    roles: () => parseRoles(raw.roles),
    locale: () => parseLocale(raw.locale),
  });
}

/** The command that creates a user from checked fields: the admin API, self sign-up and the bootstrap. */
export function createUserCommand(
  userId: string,
  fields: ReturnType<typeof newUserFields>,
  passwordHash: string,
  /** False for a self sign-up (a verification mail follows); an admin's accounts are verified. */
  emailVerified = true,
): CreateUserCommand {
  return {
    type: 'users.create_user',
    userId,
    email: fields.email.value,
    username: fields.username.value,
    firstName: fields.firstName.value,
    lastName: fields.lastName.value,
    roles: fields.roles,
    emailVerified,
    locale: fields.locale,
    passwordHash,
  };
}
