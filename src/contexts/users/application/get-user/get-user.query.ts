export interface GetUserQuery {
  readonly type: 'users.get_user';
  readonly userId: string;
}
