import type { Clock } from '../../../shared/application/ports/clock.js';
import { EMAIL_TOKEN_KINDS, TokenInvalidError, type EmailToken, type EmailTokenKind } from '../domain/email-token.js';
import type { RefreshTokenFactory } from './auth-ports.js';
import type { EmailTokenUnitOfWork } from './email-token-ports.js';

/** Longer than any token this service issues, shorter than the field allows: anything else is not one. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * Spends a mailed token: found by its digest and locked, checked (kind, expiry, single use), marked
 * used, and, for a reset or a change of address, every other outstanding token of the user voided,
 * all in one transaction. Any failure is the same TokenInvalidError.
 */
export class EmailTokenSpender {
  constructor(
    private readonly uow: EmailTokenUnitOfWork,
    private readonly tokens: Pick<RefreshTokenFactory, 'digest'>,
    private readonly clock: Clock,
  ) {}

  /**
   * `check` runs on the found token before the transaction commits: when it throws (a weak new
   * password), nothing is spent and the user may try again with the same token.
   */
  async spend(
    token: string,
    kind: EmailTokenKind,
    options: { voidAllOthers: boolean; check?: (token: EmailToken) => Promise<void> },
  ): Promise<EmailToken> {
    if (!TOKEN_SHAPE.test(token)) throw new TokenInvalidError();
    const now = this.clock.now();
    return this.uow.run(async (scope) => {
      const found = await scope.tokens.findByHash(this.tokens.digest(token));
      if (!found) throw new TokenInvalidError();
      found.consume(kind, now);
      await options.check?.(found);
      await scope.tokens.markUsed(found);
      if (options.voidAllOthers) await scope.tokens.voidOutstanding(found.userId, EMAIL_TOKEN_KINDS, now);
      return found;
    });
  }
}
