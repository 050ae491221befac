/** What login needs to know about an account. */
export interface Credentials {
  readonly userId: string;
  readonly email: string;
  readonly username: string;
  readonly passwordHash: string;
  readonly status: 'active' | 'deactivated';
  readonly roles: readonly string[];
  readonly emailVerified: boolean;
  /** The language of the user's mails. */
  readonly locale: string;
}

/** Port: the credential store. The users context owns it; auth reads it through this port. */
export interface CredentialsReader {
  findByEmail(email: string): Promise<Credentials | null>;
  findByUserId(userId: string): Promise<Credentials | null>;
  adminExists(): Promise<boolean>;
}
