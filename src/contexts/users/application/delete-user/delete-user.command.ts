export interface DeleteUserCommand {
  readonly type: 'users.delete_user';
  readonly userId: string;
}
