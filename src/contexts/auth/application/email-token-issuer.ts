import type { Clock } from '../../../shared/application/ports/clock.js';
import type { IdGenerator } from '../../../shared/application/ports/id-generator.js';
import { MailEventTypes, type MailEventData } from '../domain/auth-events.js';
import { EmailToken, type EmailTokenKind } from '../domain/email-token.js';
import type { RefreshTokenFactory } from './auth-ports.js';
import type { EmailTokenUnitOfWork, MailAccount, Sealer } from './email-token-ports.js';

const EVENT_OF: Readonly<Record<EmailTokenKind, string>> = {
  email_verification: MailEventTypes.emailVerificationRequested,
  password_reset: MailEventTypes.passwordResetRequested,
  email_change: MailEventTypes.emailChangeRequested,
};

export interface EmailTokenIssuerDeps {
  readonly uow: EmailTokenUnitOfWork;
  /** 256 random bits and their SHA-256 digest (the refresh tokens' factory). */
  readonly tokens: RefreshTokenFactory;
  readonly sealer: Sealer;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

/**
 * Issues a mailed token: in one transaction the older tokens of its kind are voided, the new one's
 * digest stored, and the event that asks for the mail appended to the outbox with the token sealed,
 * so the plaintext exists only in this call and, later, in the mail.
 */
export class EmailTokenIssuer {
  constructor(private readonly deps: EmailTokenIssuerDeps) {}

  async issue(kind: EmailTokenKind, account: MailAccount, newEmail?: string): Promise<void> {
    const { uow, tokens, sealer, ids, clock } = this.deps;
    const now = clock.now();
    const { token, hash } = tokens.issue();
    const issued = EmailToken.issue(
      { id: ids.next(), userId: account.userId, kind, tokenHash: hash, ...(newEmail && { newEmail }) },
      now,
    );
    const data: MailEventData = {
      email: account.email,
      username: account.username,
      locale: account.locale,
      sealedToken: sealer.seal(token),
      expiresAt: issued.expiresAt.toISOString(),
      ...(newEmail && { newEmail }),
    };
    await uow.run(async (scope) => {
      await scope.tokens.voidOutstanding(account.userId, [kind], now);
      await scope.tokens.insert(issued);
      await scope.outbox.append([
        { type: EVENT_OF[kind], version: 1, occurredAt: now, aggregateId: account.userId, aggregateVersion: 1, data },
      ]);
    });
  }

  /** A mail without a token: someone tried to sign up with an address that has an account. */
  async notifySignUpAttempt(account: MailAccount): Promise<void> {
    const now = this.deps.clock.now();
    const data: MailEventData = { email: account.email, username: account.username, locale: account.locale };
    await this.deps.uow.run((scope) =>
      scope.outbox.append([
        {
          type: MailEventTypes.signUpAttempted,
          version: 1,
          occurredAt: now,
          aggregateId: account.userId,
          aggregateVersion: 1,
          data,
        },
      ]),
    );
  }
}
