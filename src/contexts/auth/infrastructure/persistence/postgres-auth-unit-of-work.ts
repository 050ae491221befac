import type { Database } from '../../../../platform/db/database.js';
import type { AuthScope } from '../../application/auth-ports.js';
import type { UnitOfWork } from '../../../../shared/application/ports/unit-of-work.js';

/** One transaction over the repositories of `scope` (sessions and the outbox, and the factor stores for MFA). */
export class PostgresAuthUnitOfWork<S extends AuthScope = AuthScope> implements UnitOfWork<S> {
  constructor(
    private readonly database: Database,
    private readonly scope: S,
  ) {}

  run<T>(work: (scope: S) => Promise<T>): Promise<T> {
    return this.database.transaction(() => work(this.scope));
  }
}
