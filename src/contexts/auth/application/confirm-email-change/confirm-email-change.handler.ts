import { TokenInvalidError } from '../../domain/email-token.js';
import type { AccountEmailWriter } from '../email-token-ports.js';
import type { EmailTokenSpender } from '../email-token-spender.js';
import type { RevokeUserSessionsHandler } from '../revoke-user-sessions/revoke-user-sessions.handler.js';

export interface EmailChanged {
  readonly userId: string;
  readonly email: string;
  /** The sessions revoked, for the API's revocation cache. */
  readonly revoked: string[];
}

/**
 * Spends a change-of-address token (every other outstanding token of the user voided with it),
 * has the accounts' owner move the account to the new address (`email_taken` if another account
 * took it meanwhile), then revokes every session of the user: whoever held one signs in again,
 * with the new address.
 */
export class ConfirmEmailChangeHandler {
  constructor(
    private readonly deps: {
      spender: EmailTokenSpender;
      accounts: Pick<AccountEmailWriter, 'changeEmail'>;
      revokeSessions: RevokeUserSessionsHandler;
    },
  ) {}

  async handle(request: { token: string }): Promise<EmailChanged> {
    const { spender, accounts, revokeSessions } = this.deps;
    const token = await spender.spend(request.token, 'email_change', {
      voidAllOthers: true,
      check: async (found) => {
        if (!found.newEmail) throw new TokenInvalidError();
      },
    });
    const email = token.newEmail!;
    await accounts.changeEmail(token.userId, email);
    const revoked = await revokeSessions.handle({ userId: token.userId, reason: 'email_changed' });
    return { userId: token.userId, email, revoked };
  }
}
