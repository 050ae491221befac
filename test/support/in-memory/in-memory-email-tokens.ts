import type {
  AccountEmailWriter,
  EmailTokenScope,
  EmailTokenUnitOfWork,
} from '../../../src/contexts/auth/application/email-token-ports.js';
import {
  EmailToken,
  type EmailTokenKind,
  type EmailTokenSnapshot,
} from '../../../src/contexts/auth/domain/email-token.js';
import type { EmailTokenRepository } from '../../../src/contexts/auth/domain/email-token-repository.js';
import { InMemoryEventOutbox } from './in-memory-users-unit-of-work.js';

export class InMemoryEmailTokenRepository implements EmailTokenRepository {
  readonly rows = new Map<string, EmailTokenSnapshot>();

  async insert(token: EmailToken): Promise<void> {
    const s = token.snapshot();
    if ([...this.rows.values()].some((r) => r.tokenHash === s.tokenHash)) throw new Error('duplicate token hash');
    this.rows.set(s.id, s);
  }

  async findByHash(tokenHash: string): Promise<EmailToken | null> {
    const row = [...this.rows.values()].find((r) => r.tokenHash === tokenHash);
    return row ? EmailToken.restore(row) : null;
  }

  async markUsed(token: EmailToken): Promise<void> {
    const s = token.snapshot();
    this.rows.set(s.id, { ...this.rows.get(s.id)!, usedAt: s.usedAt });
  }

  async voidOutstanding(userId: string, kinds: readonly EmailTokenKind[], now: Date): Promise<number> {
    let n = 0;
    for (const [id, r] of this.rows) {
      if (r.userId === userId && kinds.includes(r.kind) && r.usedAt === null && r.voidedAt === null) {
        this.rows.set(id, { ...r, voidedAt: now });
        n += 1;
      }
    }
    return n;
  }
}

/** All-or-nothing like a transaction: on a throw, tokens and events go back to how they were. */
export class InMemoryEmailTokenUnitOfWork implements EmailTokenUnitOfWork {
  constructor(
    readonly tokens = new InMemoryEmailTokenRepository(),
    readonly outbox = new InMemoryEventOutbox(),
  ) {}

  async run<T>(work: (scope: EmailTokenScope) => Promise<T>): Promise<T> {
    const rows = new Map(this.tokens.rows);
    const events = this.outbox.events.length;
    try {
      return await work({ tokens: this.tokens, outbox: this.outbox });
    } catch (error) {
      this.tokens.rows.clear();
      for (const [k, v] of rows) this.tokens.rows.set(k, v);
      this.outbox.events.length = events;
      throw error;
    }
  }
}

/** The accounts' side, recorded: which users were verified, which addresses changed. */
export class RecordingEmailWriter implements AccountEmailWriter {
  readonly verified: string[] = [];
  readonly changed: { userId: string; email: string }[] = [];
  /** An address another account has: changing to it fails as the users context does. */
  taken = new Set<string>();

  async markVerified(userId: string): Promise<void> {
    this.verified.push(userId);
  }

  async changeEmail(userId: string, email: string): Promise<void> {
    if (this.taken.has(email)) throw Object.assign(new Error('taken'), { code: 'email_taken' });
    this.changed.push({ userId, email });
  }

  normalize(email: string, field: string): string {
    const value = email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[a-z]+$/.test(value)) {
      throw Object.assign(new Error(`${field}: not an address`), { code: 'validation_failed' });
    }
    return value;
  }
}
