import { User, type UserSnapshot } from '../../../src/contexts/users/domain/user.js';
import { EmailTakenError, UsernameTakenError } from '../../../src/contexts/users/domain/user-errors.js';
import {
  ConcurrentModificationError,
  type UserRepository,
} from '../../../src/contexts/users/domain/user-repository.js';

/** The write model in a Map, with the same version and uniqueness guarantees as the SQL one. */
export class InMemoryUserRepository implements UserRepository {
  readonly rows = new Map<string, UserSnapshot | { id: string; erased: true; version: number }>();

  async findById(id: string): Promise<User | null> {
    const row = this.rows.get(id);
    return row && !('erased' in row) ? User.restore(row) : null;
  }

  async emailTaken(email: string, exceptId?: string): Promise<boolean> {
    return this.live().some((u) => u.email === email && u.id !== exceptId);
  }

  async usernameTaken(username: string, exceptId?: string): Promise<boolean> {
    return this.live().some((u) => u.username === username && u.id !== exceptId);
  }

  async insert(user: User): Promise<void> {
    const s = user.snapshot();
    if (this.rows.has(s.id)) throw new Error(`duplicate id ${s.id}`);
    if (await this.emailTaken(s.email)) throw new EmailTakenError(s.email);
    if (await this.usernameTaken(s.username)) throw new UsernameTakenError(s.username);
    this.rows.set(s.id, s);
  }

  async update(user: User): Promise<void> {
    const s = user.snapshot();
    this.assertVersion(user);
    if (await this.usernameTaken(s.username, s.id)) throw new UsernameTakenError(s.username);
    this.rows.set(s.id, s);
  }

  async erase(user: User): Promise<void> {
    this.assertVersion(user);
    this.rows.set(user.id, { id: user.id, erased: true, version: user.version });
  }

  private assertVersion(user: User): void {
    const stored = this.rows.get(user.id);
    if (!stored || stored.version !== user.persistedVersion) {
      throw new ConcurrentModificationError(user.id, user.persistedVersion);
    }
  }

  private live(): UserSnapshot[] {
    return [...this.rows.values()].filter((r): r is UserSnapshot => !('erased' in r));
  }
}
