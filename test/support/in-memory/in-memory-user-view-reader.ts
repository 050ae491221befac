import type { UserView, UserViewFilter, UserViewReader } from '../../../src/contexts/users/application/user-view.js';

export class InMemoryUserViewReader implements UserViewReader {
  readonly views = new Map<string, UserView>();

  async findById(id: string): Promise<UserView | null> {
    return this.views.get(id) ?? null;
  }

  async list(filter: UserViewFilter): Promise<UserView[]> {
    const q = filter.q?.toLowerCase();
    return [...this.views.values()]
      .filter((v) => filter.email === undefined || v.email === filter.email)
      .filter((v) => filter.username === undefined || v.username === filter.username)
      .filter((v) => filter.status === undefined || v.status === filter.status)
      .filter((v) => filter.afterId === undefined || v.id > filter.afterId)
      .filter(
        (v) =>
          q === undefined ||
          [v.email, v.username, v.firstName, v.lastName].some((field) => field.toLowerCase().includes(q)),
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, filter.limit);
  }
}
