import type { EventOutbox } from '../../../../shared/application/ports/unit-of-work.js';
import type { Database } from '../../../../platform/db/database.js';
import { UsersUnitOfWork, type UsersScope } from '../../application/users-scope.js';
import type { UserRepository } from '../../domain/user-repository.js';
import { PostgresUserRepository } from './postgres-user-repository.js';

/** One database transaction per unit of work; joins the worker's transaction when inside one. */
export class PostgresUsersUnitOfWork extends UsersUnitOfWork {
  private readonly scope: UsersScope;

  constructor(
    private readonly database: Database,
    outbox: EventOutbox,
    users: UserRepository = new PostgresUserRepository(database),
  ) {
    super();
    this.scope = { users, outbox };
  }

  run<T>(work: (scope: UsersScope) => Promise<T>): Promise<T> {
    return this.database.transaction(() => work(this.scope));
  }
}
