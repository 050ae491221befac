export interface UpgradePasswordHashCommand {
  readonly type: 'users.upgrade_password_hash';
  readonly userId: string;
  /** The hash being replaced: if the password changed meanwhile, the upgrade is dropped. */
  readonly previousHash: string;
  readonly passwordHash: string;
}
