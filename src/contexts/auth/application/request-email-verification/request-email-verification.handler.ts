import type { CredentialsReader } from '../../domain/credentials.js';
import type { EmailThrottle } from '../email-throttle.js';
import type { EmailTokenIssuer } from '../email-token-issuer.js';

export interface RequestEmailVerification {
  readonly email: string;
  readonly ip: string;
}

/** Mails a new verification link to an active, unverified account; for any other address, nothing (same answer). */
export class RequestEmailVerificationHandler {
  constructor(
    private readonly credentials: CredentialsReader,
    private readonly throttle: EmailThrottle,
    private readonly issuer: EmailTokenIssuer,
  ) {}

  async handle(request: RequestEmailVerification): Promise<void> {
    if (!(await this.throttle.allows(request.ip, request.email))) return;
    const account = await this.credentials.findByEmail(request.email.trim());
    if (!account || account.status !== 'active' || account.emailVerified) return;
    await this.issuer.issue('email_verification', account);
  }
}
