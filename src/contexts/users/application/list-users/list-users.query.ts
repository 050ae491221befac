export interface ListUsersQuery {
  readonly type: 'users.list_users';
  readonly email?: string;
  readonly username?: string;
  readonly q?: string;
  readonly status?: 'active' | 'deactivated';
  readonly limit?: number;
  /** Opaque, from a previous page's `nextCursor`. */
  readonly cursor?: string;
}

export interface UserPage<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}
