import type { PasswordHasher } from '../../../../shared/application/ports/password-hasher.js';
import { ValidationError } from '../../../../shared/domain/domain-error.js';
import { InvalidCredentialsError } from '../../domain/auth-errors.js';
import type { CredentialsReader } from '../../domain/credentials.js';
import type { EmailThrottle } from '../email-throttle.js';
import type { EmailTokenIssuer } from '../email-token-issuer.js';
import type { AccountEmailWriter } from '../email-token-ports.js';

export interface RequestEmailChange {
  readonly userId: string;
  readonly newEmail: string;
  readonly currentPassword: string;
  readonly ip: string;
}

/**
 * A signed-in user asks to move the account to another address: the current password must verify
 * (401 otherwise) and the address must pass the accounts' rules (400); then, within the budgets, a
 * confirmation goes to the new address and a notice to the old one. An address that already has
 * an account gets nothing and the answer is the same, so the request reveals no account.
 */
export class RequestEmailChangeHandler {
  constructor(
    private readonly deps: {
      credentials: CredentialsReader;
      hasher: PasswordHasher;
      throttle: EmailThrottle;
      issuer: EmailTokenIssuer;
      accounts: Pick<AccountEmailWriter, 'normalize'>;
    },
  ) {}

  async handle(request: RequestEmailChange): Promise<void> {
    const { credentials, hasher, throttle, issuer, accounts } = this.deps;
    const newEmail = accounts.normalize(request.newEmail, 'newEmail');
    const account = await credentials.findByUserId(request.userId);
    if (!account || !(await hasher.verify(account.passwordHash, request.currentPassword))) {
      throw new InvalidCredentialsError();
    }
    if (newEmail === account.email) throw new ValidationError('newEmail', 'is already the address of this account');
    if (!(await throttle.allows(request.ip, newEmail))) return;
    if (await credentials.findByEmail(newEmail)) return;
    await issuer.issue('email_change', account, newEmail);
  }
}
