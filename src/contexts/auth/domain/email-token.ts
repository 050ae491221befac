import { DomainError } from '../../../shared/domain/domain-error.js';

/** What a mailed token proves: the address is the owner's, the password may be reset, a new address is theirs. */
export type EmailTokenKind = 'email_verification' | 'password_reset' | 'email_change';

export const EMAIL_TOKEN_KINDS: readonly EmailTokenKind[] = ['email_verification', 'password_reset', 'email_change'];

/** How long each kind works (the contract's numbers): a reset is the most dangerous, so the shortest. */
export const EMAIL_TOKEN_LIFETIME_MS: Readonly<Record<EmailTokenKind, number>> = {
  email_verification: 24 * 3_600_000,
  password_reset: 30 * 60_000,
  email_change: 3_600_000,
};

/** Malformed, unknown, expired, used, voided or of another kind: one answer, so none is told apart. */
export class TokenInvalidError extends DomainError {
  constructor() {
    super('token_invalid', 'the token is not valid: it may have expired or been used; ask for a new one');
  }
}

export interface EmailTokenSnapshot {
  readonly id: string;
  readonly userId: string;
  readonly kind: EmailTokenKind;
  /** SHA-256 of the token: the token itself is never stored. */
  readonly tokenHash: string;
  /** The address an email change goes to; null for the other kinds. */
  readonly newEmail: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly voidedAt: Date | null;
}

/**
 * A token mailed to a user: it works once, for its kind only, until it expires or a newer one (or a
 * reset, or a change of address) voids it.
 */
export class EmailToken {
  private constructor(private state: EmailTokenSnapshot) {}

  static issue(
    props: { id: string; userId: string; kind: EmailTokenKind; tokenHash: string; newEmail?: string },
    now: Date,
  ): EmailToken {
    return new EmailToken({
      id: props.id,
      userId: props.userId,
      kind: props.kind,
      tokenHash: props.tokenHash,
      newEmail: props.newEmail ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + EMAIL_TOKEN_LIFETIME_MS[props.kind]),
      usedAt: null,
      voidedAt: null,
    });
  }

  static restore(snapshot: EmailTokenSnapshot): EmailToken {
    return new EmailToken({ ...snapshot });
  }

  get userId(): string {
    return this.state.userId;
  }

  get newEmail(): string | null {
    return this.state.newEmail;
  }

  get expiresAt(): Date {
    return this.state.expiresAt;
  }

  isUsable(now: Date): boolean {
    return this.state.usedAt === null && this.state.voidedAt === null && now < this.state.expiresAt;
  }

  /** Spends the token; TokenInvalidError if it cannot be (any reason, one answer). */
  consume(kind: EmailTokenKind, now: Date): void {
    if (kind !== this.state.kind || !this.isUsable(now)) throw new TokenInvalidError();
    this.state = { ...this.state, usedAt: now };
  }

  snapshot(): EmailTokenSnapshot {
    return { ...this.state };
  }
}
