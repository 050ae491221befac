import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { sqlState, UNIQUE_VIOLATION, type Database } from '../../../../platform/db/database.js';
import { updateAtVersion } from '../../../../platform/db/update-at-version.js';
import { User, type UserSnapshot } from '../../domain/user.js';
import { EmailTakenError, UsernameTakenError } from '../../domain/user-errors.js';
import { ConcurrentModificationError, type UserRepository } from '../../domain/user-repository.js';
import type { Locale } from '../../domain/locale.js';
import type { UserRole } from '../../domain/user-role.js';
import { usersTable } from './users.table.js';
import { lockedRows } from '../../../../platform/db/locked-rows.js';

/** The write model in PostgreSQL (or PGlite): `users.users`, guarded by its `version` column. */
export class PostgresUserRepository implements UserRepository {
  constructor(private readonly database: Database) {}

  async findById(id: string): Promise<User | null> {
    const [row] = await lockedRows(this.database, usersTable, and(eq(usersTable.id, id), isNull(usersTable.deletedAt)));
    if (!row || row.status === 'deleted') return null;
    return User.restore({
      id: row.id,
      email: row.email!,
      username: row.username!,
      firstName: row.firstName!,
      lastName: row.lastName!,
      passwordHash: row.passwordHash!,
      roles: row.roles as UserRole[],
      status: row.status,
      emailVerified: row.emailVerified,
      locale: row.locale as Locale,
      version: row.version,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  }

  emailTaken(email: string, exceptId?: string): Promise<boolean> {
    return this.exists(eq(usersTable.email, email), exceptId);
  }

  usernameTaken(username: string, exceptId?: string): Promise<boolean> {
    return this.exists(eq(usersTable.username, username), exceptId);
  }

  private async exists(condition: ReturnType<typeof eq>, exceptId?: string): Promise<boolean> {
    const rows = await this.database
      .executor()
      .select({ id: usersTable.id })
      .from(usersTable)
      .where(exceptId ? and(condition, ne(usersTable.id, exceptId)) : condition)
      .limit(1);
    return rows.length > 0;
  }

  async insert(user: User): Promise<void> {
    const s = user.snapshot();
    try {
      await this.database
        .executor()
        .insert(usersTable)
        .values({ id: s.id, createdAt: s.createdAt, ...mutableColumns(s) });
    } catch (error) {
      throw translateUniqueViolation(error, s.email, s.username);
    }
  }

  async update(user: User): Promise<void> {
    const s = user.snapshot();
    let updated: boolean;
    try {
      updated = await updateAtVersion(this.database.executor(), usersTable, user, mutableColumns(s));
    } catch (error) {
      throw translateUniqueViolation(error, s.email, s.username);
    }
    if (!updated) throw new ConcurrentModificationError(s.id, user.persistedVersion);
  }

  /**
   * Erasure: the row stays as a tombstone (id, version, dates) and every personal field goes.
   * Past events of this user in the outbox are scrubbed too, so a replay cannot bring them back.
   */
  async erase(user: User): Promise<void> {
    const s = user.snapshot();
    const erased = await updateAtVersion(this.database.executor(), usersTable, user, {
      email: null,
      username: null,
      firstName: null,
      lastName: null,
      passwordHash: null,
      status: 'deleted',
      version: s.version,
      updatedAt: s.updatedAt,
      deletedAt: s.updatedAt,
    });
    if (!erased) throw new ConcurrentModificationError(s.id, user.persistedVersion);
    await this.database.query(sql`
      update messaging.outbox
         set data = data - 'email' - 'username' - 'firstName' - 'lastName'
       where aggregate_id = ${s.id}`);
  }
}

/** What an update may change; `id` and `createdAt` are set once, at insert. */
function mutableColumns(s: UserSnapshot) {
  return {
    email: s.email,
    emailVerified: s.emailVerified,
    locale: s.locale,
    username: s.username,
    firstName: s.firstName,
    lastName: s.lastName,
    passwordHash: s.passwordHash,
    roles: [...s.roles],
    status: s.status,
    version: s.version,
    updatedAt: s.updatedAt,
  };
}

function translateUniqueViolation(error: unknown, email: string, username: string): unknown {
  const state = sqlState(error);
  if (state.code !== UNIQUE_VIOLATION) return error;
  if (state.constraint === 'users_email_key') return new EmailTakenError(email);
  if (state.constraint === 'users_username_key') return new UsernameTakenError(username);
  return error;
}
