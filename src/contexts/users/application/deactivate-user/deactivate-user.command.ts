export interface DeactivateUserCommand {
  readonly type: 'users.deactivate_user';
  readonly userId: string;
}
