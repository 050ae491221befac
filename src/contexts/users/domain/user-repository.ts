import type { User } from './user.js';

/**
 * Port: the write model of users. Method names say exactly what they do: `insert` fails on an
 * existing id, `update` fails when the stored version is not the one the aggregate was loaded at,
 * `erase` removes the personal data for good. Use cases do not call them one by one: load–change–save
 * (with the events handed to the outbox) is `UsersUnitOfWork.update` / `erase`, written once.
 */
export interface UserRepository {
  findById(id: string): Promise<User | null>;
  /** Whether a live user other than `exceptId` holds this email. */
  emailTaken(email: string, exceptId?: string): Promise<boolean>;
  usernameTaken(username: string, exceptId?: string): Promise<boolean>;
  insert(user: User): Promise<void>;
  update(user: User): Promise<void>;
  erase(user: User): Promise<void>;
}

/** Thrown by `update` when another writer got there first; the worker runs the command again. */
export { ConcurrentModificationError } from '../../../shared/domain/concurrent-modification-error.js';
