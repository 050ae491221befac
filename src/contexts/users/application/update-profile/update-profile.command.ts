export interface UpdateProfileCommand {
  readonly type: 'users.update_profile';
  readonly userId: string;
  /** From `If-Match`: the version the client based its change on. */
  readonly expectedVersion?: number;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly username?: string;
}
