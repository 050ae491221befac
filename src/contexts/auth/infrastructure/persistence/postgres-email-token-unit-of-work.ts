import type { EventOutbox } from '../../../../shared/application/ports/unit-of-work.js';
import type { Database } from '../../../../platform/db/database.js';
import type { EmailTokenScope, EmailTokenUnitOfWork } from '../../application/email-token-ports.js';
import { PostgresEmailTokenRepository } from './postgres-email-token-repository.js';

/** One transaction over the mailed tokens and the outbox; joins the caller's when inside one (a consumer's). */
export class PostgresEmailTokenUnitOfWork implements EmailTokenUnitOfWork {
  private readonly scope: EmailTokenScope;

  constructor(
    private readonly database: Database,
    outbox: EventOutbox,
  ) {
    this.scope = { tokens: new PostgresEmailTokenRepository(database), outbox };
  }

  run<T>(work: (scope: EmailTokenScope) => Promise<T>): Promise<T> {
    return this.database.transaction(() => work(this.scope));
  }
}
