/** Carries the new hash only; the API verified the current password and hashed the new one. */
export interface ChangePasswordCommand {
  readonly type: 'users.change_password';
  readonly userId: string;
  readonly passwordHash: string;
}
