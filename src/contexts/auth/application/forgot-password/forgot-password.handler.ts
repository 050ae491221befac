import type { CredentialsReader } from '../../domain/credentials.js';
import type { EmailThrottle } from '../email-throttle.js';
import type { EmailTokenIssuer } from '../email-token-issuer.js';

export interface ForgotPassword {
  readonly email: string;
  readonly ip: string;
}

/** Mails a reset link to an active account within its budget; any other address gets nothing. */
export class ForgotPasswordHandler {
  constructor(
    private readonly credentials: CredentialsReader,
    private readonly throttle: EmailThrottle,
    private readonly issuer: EmailTokenIssuer,
  ) {}

  async handle(request: ForgotPassword): Promise<void> {
    const allowed = await this.throttle.allows(request.ip, request.email);
    const account = await this.credentials.findByEmail(request.email.trim().toLowerCase());
    if (allowed && account && account.status === 'active') await this.issuer.issue('password_reset', account);
  }
}
