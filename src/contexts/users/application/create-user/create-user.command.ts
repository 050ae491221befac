import type { UserRole } from '../../domain/user-role.js';

/** Carries the password hash only: the plaintext is hashed in the API and never travels. */
export interface CreateUserCommand {
  readonly type: 'users.create_user';
  readonly userId: string;
  readonly email: string;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly passwordHash: string;
  readonly roles: readonly UserRole[];
}
