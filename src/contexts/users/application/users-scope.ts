import type { EventOutbox, UnitOfWork } from '../../../shared/application/ports/unit-of-work.js';
import type { UserRepository } from '../domain/user-repository.js';

/** What a users use case may touch inside one transaction. */
export interface UsersScope {
  readonly users: UserRepository;
  readonly outbox: EventOutbox;
}

export type UsersUnitOfWork = UnitOfWork<UsersScope>;
