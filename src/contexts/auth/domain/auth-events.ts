/** Audit events of the auth context: the wire names never change. */
export const AuthEventTypes = {
  loginSucceeded: 'auth.login.succeeded',
  loginFailed: 'auth.login.failed',
  refreshTokenReused: 'auth.refresh_token.reused',
  sessionRevoked: 'auth.session.revoked',
  passwordChanged: 'auth.password.changed',
  /** A TOTP factor confirmed (with its first recovery codes). */
  totpEnabled: 'auth.mfa.totp_enabled',
  /** Every second factor of the user removed: by the user (`sessionId`), or by an admin (`endedBy`). */
  secondFactorsRemoved: 'auth.mfa.removed',
  recoveryCodesRegenerated: 'auth.mfa.recovery_codes_regenerated',
  recoveryCodeUsed: 'auth.mfa.recovery_code_used',
  /** A passkey registered (from `sessionId`). */
  passkeyAdded: 'auth.mfa.passkey_added',
  /** One passkey removed by its user (from `sessionId`); an admin's removal is `auth.mfa.removed`. */
  passkeyRemoved: 'auth.mfa.passkey_removed',
  /** A wrong second factor at sign-in: it counts toward the email's lockout. */
  secondFactorFailed: 'auth.mfa.failed',
} as const;

export type SessionRevocationReason =
  | 'logout'
  | 'refresh_token_reused'
  | 'password_changed'
  /** A change of address was confirmed: every session ends, the next sign-in uses the new address. */
  | 'email_changed'
  | 'user_deactivated'
  | 'user_deleted'
  /** The user ended it from another session (one, or all the others). */
  | 'ended_by_user'
  /** An admin ended the user's sessions. */
  | 'ended_by_admin'
  /** A second factor was added, changed or removed (other sessions end, as for a password). */
  | 'mfa_changed';

/**
 * Events that ask for a mail (the mail context subscribes to them by these names). They carry the
 * token sealed (`sealedToken`), never in the clear, and the recipient's address, name and locale.
 */
export const MailEventTypes = {
  emailVerificationRequested: 'auth.email_verification.requested',
  passwordResetRequested: 'auth.password_reset.requested',
  emailChangeRequested: 'auth.email_change.requested',
  signUpAttempted: 'auth.sign_up.attempted',
  /** A second factor was added, changed or removed: a notice to the account's address (`change` says which). */
  secondFactorChanged: 'auth.second_factor.changed',
} as const;

export interface MailEventData {
  [field: string]: unknown;
  readonly email: string;
  readonly username: string;
  readonly locale: string;
  readonly sealedToken?: string;
  readonly expiresAt?: string;
  readonly newEmail?: string;
  /** For a second-factor notice: the audit event's name without its `auth.mfa.` prefix (`totp_enabled`). */
  readonly change?: string;
  /** For a second-factor notice: `admin` when an administrator made the change. */
  readonly by?: 'user' | 'admin';
}
