import type { Credentials, CredentialsReader } from '../../../src/contexts/auth/domain/credentials.js';

/** Accounts by user id. Emails are matched exactly: normalising them is the caller's job. */
export class InMemoryCredentialsReader implements CredentialsReader {
  readonly accounts = new Map<string, Credentials>();

  add(credentials: Credentials): Credentials {
    this.accounts.set(credentials.userId, credentials);
    return credentials;
  }

  async findByEmail(email: string): Promise<Credentials | null> {
    return [...this.accounts.values()].find((a) => a.email === email) ?? null;
  }

  async findByUserId(userId: string): Promise<Credentials | null> {
    return this.accounts.get(userId) ?? null;
  }

  async adminExists(): Promise<boolean> {
    return [...this.accounts.values()].some((a) => a.roles.includes('admin'));
  }
}
