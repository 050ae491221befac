export interface ActivateUserCommand {
  readonly type: 'users.activate_user';
  readonly userId: string;
}
