import { Email } from '../contexts/users/domain/email.js';
import { Username } from '../contexts/users/domain/username.js';
import type { PasswordPolicy } from '../shared/domain/password-policy.js';

export interface AdminAccount {
  readonly email: string;
  readonly password: string;
  /** Defaults to the email's local part, made into a valid username. */
  readonly username?: string;
}

/**
 * The administrator's email and username as the users context will store them, once they and the
 * password pass its rules (a DomainError otherwise). Touches nothing: `portico start` asks before
 * it opens the database, so a refused password changes nothing on disk.
 */
export function checkAdminAccount(
  policy: PasswordPolicy,
  account: AdminAccount,
  passwordField = 'password',
): { email: string; username: string } {
  const email = Email.create(account.email);
  const username = Username.create(account.username ?? usernameFrom(email.localPart));
  policy.check(account.password, { emailLocalPart: email.localPart, username: username.value }, passwordField);
  return { email: email.value, username: username.value };
}

function usernameFrom(localPart: string): string {
  const cleaned = localPart
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  return cleaned.length >= 3 ? cleaned.slice(0, 30) : `${cleaned}-admin`.replace(/^-/, 'admin');
}
