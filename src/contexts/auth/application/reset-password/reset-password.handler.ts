import type { PasswordHasher } from '../../../../shared/application/ports/password-hasher.js';
import type { PasswordPolicy } from '../../../../shared/domain/password-policy.js';
import type { CredentialsReader } from '../../domain/credentials.js';
import { TokenInvalidError } from '../../domain/email-token.js';
import type { PasswordHashWriter } from '../change-password/change-password.handler.js';
import type { EmailTokenSpender } from '../email-token-spender.js';
import type { RevokeUserSessionsHandler } from '../revoke-user-sessions/revoke-user-sessions.handler.js';

export interface ResetPassword {
  readonly token: string;
  readonly newPassword: string;
}

/**
 * A forgotten password replaced with the reset token: the new password must pass the policy
 * (a refusal spends nothing), then the token is spent, every other outstanding token of the user
 * voided, the hash replaced through the accounts' owner, and every session revoked. Answers the
 * revoked sessions, for the API's revocation cache.
 */
export class ResetPasswordHandler {
  constructor(
    private readonly deps: {
      spender: EmailTokenSpender;
      credentials: CredentialsReader;
      policy: PasswordPolicy;
      hasher: PasswordHasher;
      writer: PasswordHashWriter;
      revokeSessions: RevokeUserSessionsHandler;
    },
  ) {}

  async handle(request: ResetPassword): Promise<string[]> {
    const { spender, credentials, policy, hasher, writer, revokeSessions } = this.deps;
    const token = await spender.spend(request.token, 'password_reset', {
      voidAllOthers: true,
      check: async (found) => {
        const account = await credentials.findByUserId(found.userId);
        if (!account) throw new TokenInvalidError();
        const emailLocalPart = account.email.slice(0, account.email.lastIndexOf('@'));
        policy.check(request.newPassword, { emailLocalPart, username: account.username }, 'newPassword');
      },
    });
    await writer.replace(token.userId, await hasher.hash(request.newPassword));
    return revokeSessions.handle({ userId: token.userId, reason: 'password_changed' });
  }
}
