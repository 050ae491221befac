import type { Locale } from '../domain/locale.js';
import type { UserRole } from '../domain/user-role.js';

/** The read model of a user: what every query answers. It never holds a password hash. */
export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly roles: readonly UserRole[];
  readonly status: 'active' | 'deactivated';
  readonly emailVerified: boolean;
  readonly locale: Locale;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export interface UserViewFilter {
  readonly email?: string;
  readonly username?: string;
  /** Free text matched against email, username, first and last name. */
  readonly q?: string;
  readonly status?: 'active' | 'deactivated';
  /** Only users whose id sorts after this one (ids are UUID v7, so this is creation order). */
  readonly afterId?: string;
  readonly limit: number;
}

/** Port: reads `user_views`, the projection every query is answered from. */
export interface UserViewReader {
  findById(id: string): Promise<UserView | null>;
  list(filter: UserViewFilter): Promise<UserView[]>;
}
