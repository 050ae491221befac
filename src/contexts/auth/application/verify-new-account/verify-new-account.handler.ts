import type { EmailTokenIssuer } from '../email-token-issuer.js';
import type { MailAccount } from '../email-token-ports.js';

/** A self-signed-up account was created unverified: its first verification mail goes out. */
export class VerifyNewAccountHandler {
  constructor(private readonly issuer: EmailTokenIssuer) {}

  async handle(account: MailAccount & { readonly emailVerified: boolean }): Promise<'mailed' | 'verified'> {
    if (account.emailVerified) return 'verified';
    await this.issuer.issue('email_verification', account);
    return 'mailed';
  }
}
