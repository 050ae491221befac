import { describe, expect, it } from 'vitest';
import { Cursor } from '../../../../../src/contexts/users/application/list-users/cursor.js';
import type { ListUsersQuery } from '../../../../../src/contexts/users/application/list-users/list-users.query.js';
import {
  DEFAULT_PAGE_SIZE,
  ListUsersHandler,
} from '../../../../../src/contexts/users/application/list-users/list-users.handler.js';
import type { UserView, UserViewFilter } from '../../../../../src/contexts/users/application/user-view.js';
import { UserViewMother } from '../../../../mothers/user-view.mother.js';
import { InMemoryUserViewReader } from '../../../../support/in-memory/in-memory-user-view-reader.js';

/** Remembers the filters it was asked with, to check what the handler hands to the read model. */
class RecordingViewReader extends InMemoryUserViewReader {
  readonly filters: UserViewFilter[] = [];

  override list(filter: UserViewFilter): Promise<UserView[]> {
    this.filters.push(filter);
    return super.list(filter);
  }
}

function setup(count = 0) {
  const views = new RecordingViewReader();
  const stored = Array.from({ length: count }, () => UserViewMother.view());
  for (const view of stored) views.views.set(view.id, view);
  return { views, stored, handler: new ListUsersHandler(views) };
}

const list = (params: Omit<ListUsersQuery, 'type'> = {}): ListUsersQuery => ({ type: 'users.list_users', ...params });

describe('ListUsersHandler', () => {
  it(`answers ${DEFAULT_PAGE_SIZE} users per page by default`, async () => {
    const { handler } = setup(DEFAULT_PAGE_SIZE + 1);
    const page = await handler.handle(list());
    expect(page.items).toHaveLength(DEFAULT_PAGE_SIZE);
  });

  it('answers at most `limit` users, in id order', async () => {
    const { handler, stored } = setup(5);
    const page = await handler.handle(list({ limit: 2 }));
    expect(page.items).toEqual(stored.slice(0, 2));
  });

  it('gives a cursor when another page exists, and the next page follows the last item', async () => {
    const { handler, stored } = setup(5);
    const first = await handler.handle(list({ limit: 2 }));
    expect(first.nextCursor).toBe(Cursor.encode(stored[1]!.id));
    const second = await handler.handle(list({ limit: 2, cursor: first.nextCursor! }));
    expect(second.items).toEqual(stored.slice(2, 4));
  });

  it('gives no cursor on the last page, even when it is exactly full', async () => {
    const { handler } = setup(2);
    await expect(handler.handle(list({ limit: 2 }))).resolves.toMatchObject({ nextCursor: null });
  });

  it('answers an empty page with no cursor when nothing matches', async () => {
    const { handler } = setup(0);
    await expect(handler.handle(list())).resolves.toEqual({ items: [], nextCursor: null });
  });

  it('refuses a cursor it did not issue with validation_failed on cursor', async () => {
    const { handler } = setup(1);
    await expect(handler.handle(list({ cursor: 'garbage' }))).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'cursor' }],
    });
  });

  it('asks the read model for one row more than the limit, and no filters it was not given', async () => {
    const { handler, views } = setup();
    await handler.handle(list({ limit: 10 }));
    expect(views.filters).toEqual([{ limit: 11 }]);
  });

  it('looks emails and usernames up in their stored normal form', async () => {
    const { handler, views } = setup();
    await handler.handle(list({ email: ' Ada@Example.COM ', username: ' Ada_L ' }));
    expect(views.filters[0]).toMatchObject({ email: 'ada@example.com', username: 'ada_l' });
  });

  it('still normalizes an email filter that is not a valid address, which then matches nobody', async () => {
    const { handler, views } = setup(3);
    const page = await handler.handle(list({ email: ' Not An Email ' }));
    expect(views.filters[0]).toMatchObject({ email: 'not an email' });
    expect(page.items).toEqual([]);
  });

  it('trims the free-text search and ignores a blank one', async () => {
    const { handler, views } = setup();
    await handler.handle(list({ q: '  lovelace ' }));
    await handler.handle(list({ q: '   ' }));
    expect(views.filters[0]).toMatchObject({ q: 'lovelace' });
    expect(views.filters[1]).not.toHaveProperty('q');
  });

  it('filters by status', async () => {
    const { handler, views } = setup(2);
    const deactivated = UserViewMother.view({ status: 'deactivated' });
    views.views.set(deactivated.id, deactivated);
    const page = await handler.handle(list({ status: 'deactivated' }));
    expect(page.items).toEqual([deactivated]);
  });
});
