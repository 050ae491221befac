import { and, asc, eq, gt, ilike, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../../platform/db/database.js';
import type { UserView, UserViewFilter, UserViewReader } from '../../application/user-view.js';
import type { UserRole } from '../../domain/user-role.js';
import { userViewsTable } from './user-views.table.js';

export class PostgresUserViewReader implements UserViewReader {
  /**
   * Every authenticated read runs this: built once and prepared (named, so each pg connection
   * parses and plans it once) instead of drizzle building the SQL per call. It reads outside any
   * surrounding transaction, which a read model never needs.
   */
  private readonly byId;

  constructor(private readonly database: Database) {
    this.byId = database.db
      .select()
      .from(userViewsTable)
      .where(and(eq(userViewsTable.id, sql.placeholder('id')), ne(userViewsTable.status, 'deleted')))
      .prepare('user_view_by_id');
  }

  async findById(id: string): Promise<UserView | null> {
    const [row] = await this.byId.execute({ id });
    return row ? toView(row) : null;
  }

  async list(filter: UserViewFilter): Promise<UserView[]> {
    const conditions: SQL[] = [ne(userViewsTable.status, 'deleted')];
    if (filter.email !== undefined) conditions.push(eq(userViewsTable.email, filter.email));
    if (filter.username !== undefined) conditions.push(eq(userViewsTable.username, filter.username));
    if (filter.status !== undefined) conditions.push(eq(userViewsTable.status, filter.status));
    if (filter.afterId !== undefined) conditions.push(gt(userViewsTable.id, filter.afterId));
    if (filter.q !== undefined) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(
        or(
          ilike(userViewsTable.email, pattern),
          ilike(userViewsTable.username, pattern),
          ilike(userViewsTable.firstName, pattern),
          ilike(userViewsTable.lastName, pattern),
        )!,
      );
    }
    const rows = await this.database
      .executor()
      .select()
      .from(userViewsTable)
      .where(and(...conditions))
      .orderBy(asc(userViewsTable.id))
      .limit(filter.limit);
    return rows.map(toView);
  }
}

function toView(row: typeof userViewsTable.$inferSelect): UserView {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    firstName: row.firstName,
    lastName: row.lastName,
    roles: row.roles as UserRole[],
    status: row.status as UserView['status'],
    emailVerified: row.emailVerified,
    locale: row.locale as UserView['locale'],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}
