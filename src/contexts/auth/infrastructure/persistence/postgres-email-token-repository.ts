import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';
import { EmailToken, type EmailTokenKind } from '../../domain/email-token.js';
import type { EmailTokenRepository } from '../../domain/email-token-repository.js';
import { emailTokensTable } from './auth.tables.js';
import { lockedRows } from '../../../../platform/db/locked-rows.js';

/** `auth.email_tokens`; every call runs in the caller's transaction (the unit of work's). */
export class PostgresEmailTokenRepository implements EmailTokenRepository {
  constructor(private readonly database: Database) {}

  async insert(token: EmailToken): Promise<void> {
    await this.database.executor().insert(emailTokensTable).values(token.snapshot());
  }

  async findByHash(tokenHash: string): Promise<EmailToken | null> {
    const [row] = await lockedRows(this.database, emailTokensTable, eq(emailTokensTable.tokenHash, tokenHash));
    return row ? EmailToken.restore({ ...row, kind: row.kind as EmailTokenKind }) : null;
  }

  async markUsed(token: EmailToken): Promise<void> {
    const s = token.snapshot();
    await this.database
      .executor()
      .update(emailTokensTable)
      .set({ usedAt: s.usedAt })
      .where(eq(emailTokensTable.id, s.id));
  }

  async voidOutstanding(userId: string, kinds: readonly EmailTokenKind[], now: Date): Promise<number> {
    const outstanding = and(
      eq(emailTokensTable.userId, userId),
      inArray(emailTokensTable.kind, [...kinds]),
      isNull(emailTokensTable.usedAt),
      isNull(emailTokensTable.voidedAt),
    );
    return this.database.updated(emailTokensTable, { voidedAt: now }, outstanding);
  }
}
