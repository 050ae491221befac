import { collect } from '../../../../shared/domain/result.js';
import { Email } from '../../domain/email.js';
import { PersonName } from '../../domain/person-name.js';
import { parseRoles } from '../../domain/user-role.js';
import { Username } from '../../domain/username.js';
import { parseLocale } from '../../domain/locale.js';

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
