import type { QueryHandler } from '../../../../shared/application/query-bus.js';
import { Email } from '../../domain/email.js';
import type { UserView, UserViewReader } from '../user-view.js';
import { Cursor } from './cursor.js';
import type { ListUsersQuery, UserPage } from './list-users.query.js';

export const DEFAULT_PAGE_SIZE = 20;

export class ListUsersHandler implements QueryHandler<ListUsersQuery, UserPage<UserView>> {
  constructor(private readonly views: UserViewReader) {}

  async handle(query: ListUsersQuery): Promise<UserPage<UserView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const afterId = query.cursor === undefined ? undefined : Cursor.decode(query.cursor);
    // Fetch one extra row to know whether another page exists without a count query.
    const rows = await this.views.list({
      ...(query.email !== undefined && { email: normalizeEmail(query.email) }),
      ...(query.username !== undefined && { username: query.username.trim().toLowerCase() }),
      ...(query.q !== undefined && query.q.trim() !== '' && { q: query.q.trim() }),
      ...(query.status !== undefined && { status: query.status }),
      ...(afterId !== undefined && { afterId }),
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? Cursor.encode(last.id) : null };
  }
}

/** Lookups use the same normal form as storage, but a malformed filter simply matches nobody. */
function normalizeEmail(raw: string): string {
  try {
    return Email.create(raw).value;
  } catch {
    return raw.trim().toLowerCase();
  }
}
