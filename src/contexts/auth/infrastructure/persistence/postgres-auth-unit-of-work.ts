import type { EventOutbox } from '../../../../shared/application/ports/unit-of-work.js';
import type { Database } from '../../../../platform/db/database.js';
import type { AuthScope, AuthUnitOfWork } from '../../application/auth-ports.js';
import type { PostgresSessionRepository } from './postgres-session-repository.js';

export class PostgresAuthUnitOfWork implements AuthUnitOfWork {
  constructor(
    private readonly database: Database,
    private readonly scope: { sessions: PostgresSessionRepository; outbox: EventOutbox },
  ) {}

  run<T>(work: (scope: AuthScope) => Promise<T>): Promise<T> {
    return this.database.transaction(() => work(this.scope));
  }
}
