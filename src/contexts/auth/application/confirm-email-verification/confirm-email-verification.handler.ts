import type { AccountEmailWriter } from '../email-token-ports.js';
import type { EmailTokenSpender } from '../email-token-spender.js';

/** Spends a verification token, then has the accounts' owner mark the address verified; answers the user id. */
export class ConfirmEmailVerificationHandler {
  constructor(
    private readonly spender: EmailTokenSpender,
    private readonly accounts: AccountEmailWriter,
  ) {}

  async handle(request: { token: string }): Promise<string> {
    const token = await this.spender.spend(request.token, 'email_verification', { voidAllOthers: false });
    await this.accounts.markVerified(token.userId);
    return token.userId;
  }
}
