import type { RateLimiter } from '../../../shared/application/ports/rate-limiter.js';
import type { Sealer } from '../../../shared/application/ports/sealer.js';
import type { EventOutbox, UnitOfWork } from '../../../shared/application/ports/unit-of-work.js';
import type { EmailTokenRepository } from '../domain/email-token-repository.js';

/** What an email-token use case touches in one transaction: the tokens and the outbox. */
export interface EmailTokenScope {
  readonly tokens: EmailTokenRepository;
  readonly outbox: EventOutbox;
}

export type EmailTokenUnitOfWork = UnitOfWork<EmailTokenScope>;

/** The account a mail goes to, as the accounts' owner describes it. */
export interface MailAccount {
  readonly userId: string;
  readonly email: string;
  readonly username: string;
  readonly locale: string;
}

/**
 * The account changes a spent token causes, made by the context that owns the accounts (through
 * its own commands) and awaited: the client hears "done" only once they hold.
 */
export interface AccountEmailWriter {
  markVerified(userId: string): Promise<void>;
  /** `email_taken` when another account took the address meanwhile. */
  changeEmail(userId: string, email: string): Promise<void>;
  /** The address as the accounts store it (trimmed, lower-cased); `validation_failed` on `field` if it breaks their rules. */
  normalize(email: string, field: string): string;
}

/** The per-address and per-IP hourly budgets of mail-sending requests. */
export interface EmailLimits {
  readonly perAddressPerHour: number;
  readonly perIpPerHour: number;
}

export type { RateLimiter, Sealer };
