/** Audit events of the auth context: the wire names never change. */
export const AuthEventTypes = {
  loginSucceeded: 'auth.login.succeeded',
  loginFailed: 'auth.login.failed',
  refreshTokenReused: 'auth.refresh_token.reused',
  sessionRevoked: 'auth.session.revoked',
  passwordChanged: 'auth.password.changed',
} as const;

export type SessionRevocationReason =
  | 'logout'
  | 'refresh_token_reused'
  | 'password_changed'
  | 'user_deactivated'
  | 'user_deleted'
  /** The user ended it from another session (one, or all the others). */
  | 'ended_by_user'
  /** An admin ended the user's sessions. */
  | 'ended_by_admin';
