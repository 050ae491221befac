import { beforeEach, expect, it } from 'vitest';
import type { UserView, UserViewFilter, UserViewReader } from '../../src/contexts/users/application/user-view.js';
import { UserViewMother } from '../mothers/user-view.mother.js';

/** What a UserViewReader adapter gives the shared suite. */
export interface UserViewReaderHarness {
  readonly reader: UserViewReader;
  /**
   * Stores views through the adapter's own write path (the projector, for SQL). A view is either
   * just created (version 1, active) or created then deactivated (version 2): see `view()`.
   */
  seed(...views: UserView[]): Promise<void>;
  /** What an erasure does to the read model. */
  erase(id: string): Promise<void>;
  /** Empties the read model between tests. */
  reset(): Promise<void>;
}

const CREATED_AT = new Date('2026-01-02T03:04:05.678Z');
const DEACTIVATED_AT = new Date('2026-01-02T03:05:05.678Z');

/** A sortable UUID; hex letters included so text and uuid ordering would disagree if mixed up. */
export const viewId = (n: number): string => `0190a5b4-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

/** A view as the projection would hold it: created, and deactivated a minute later when asked. */
export function view(n: number, overrides: Partial<Omit<UserView, 'version' | 'updatedAt'>> = {}): UserView {
  const deactivated = overrides.status === 'deactivated';
  return UserViewMother.view({
    id: viewId(n),
    email: `person${n}@example.com`,
    username: `person${n}`,
    createdAt: CREATED_AT,
    ...overrides,
    ...(deactivated ? { updatedAt: DEACTIVATED_AT, version: 2 } : { updatedAt: CREATED_AT, version: 1 }),
  });
}

export function userViewReaderContract(harness: UserViewReaderHarness): void {
  beforeEach(async () => {
    await harness.reset();
  });

  const ids = async (filter: Partial<UserViewFilter>): Promise<string[]> =>
    (await harness.reader.list({ limit: 100, ...filter })).map((v) => v.id);

  it('finds a view by id with every field, and nothing for an unknown id', async () => {
    const active = view(1, { roles: ['admin', 'user'], firstName: 'Grace', lastName: 'Hopper' });
    const deactivated = view(2, { status: 'deactivated' });
    await harness.seed(active, deactivated);

    expect(await harness.reader.findById(active.id)).toEqual(active);
    expect(await harness.reader.findById(deactivated.id)).toEqual(deactivated);
    expect(await harness.reader.findById(viewId(99))).toBeNull();
  });

  it('lists every view ordered by id, whatever order they were stored in', async () => {
    const views = [0x1a, 3, 0xff, 10, 0xa0, 1].map((n) => view(n));
    await harness.seed(...views);

    const listed = await harness.reader.list({ limit: 100 });

    expect(listed).toEqual([...views].sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it('filters by exact email and exact username', async () => {
    await harness.seed(view(1), view(2), view(12));

    expect(await ids({ email: 'person1@example.com' })).toEqual([viewId(1)]);
    expect(await ids({ email: 'person1@' })).toEqual([]);
    expect(await ids({ username: 'person12' })).toEqual([viewId(12)]);
    expect(await ids({ username: 'person' })).toEqual([]);
  });

  it('filters by status', async () => {
    await harness.seed(view(1), view(2, { status: 'deactivated' }), view(3));

    expect(await ids({ status: 'active' })).toEqual([viewId(1), viewId(3)]);
    expect(await ids({ status: 'deactivated' })).toEqual([viewId(2)]);
  });

  it('matches q case-insensitively (accented letters too) as a substring of email, username, first and last name', async () => {
    await harness.seed(
      view(1, { email: 'pelican@example.com', username: 'heron', firstName: 'Osprey', lastName: 'Kestrel' }),
      view(2, { email: 'crow@example.org', username: 'raven', firstName: 'Magpie', lastName: 'Jay' }),
      view(3, { email: 'e@example.net', username: 'elodie', firstName: 'Élodie', lastName: 'Ñúñez' }),
    );

    expect(await ids({ q: 'LICAN@' })).toEqual([viewId(1)]);
    expect(await ids({ q: 'ERo' })).toEqual([viewId(1)]);
    expect(await ids({ q: 'sPR' })).toEqual([viewId(1)]);
    expect(await ids({ q: 'kESt' })).toEqual([viewId(1)]);
    expect(await ids({ q: 'GPI' })).toEqual([viewId(2)]);
    expect(await ids({ q: 'éLO' })).toEqual([viewId(3)]);
    expect(await ids({ q: 'ñÚÑ' })).toEqual([viewId(3)]);
    expect(await ids({ q: 'example' })).toEqual([viewId(1), viewId(2), viewId(3)]);
    expect(await ids({ q: 'albatross' })).toEqual([]);
  });

  it('takes %, _ and \\ in q literally, not as patterns', async () => {
    await harness.seed(
      view(1, { username: 'snake_case' }),
      view(2, { username: 'snakexcase' }),
      view(3, { firstName: '100%' }),
      view(4, { lastName: 'Back\\slash' }),
    );

    expect(await ids({ q: '_' })).toEqual([viewId(1)]);
    expect(await ids({ q: 'e_c' })).toEqual([viewId(1)]);
    expect(await ids({ q: '%' })).toEqual([viewId(3)]);
    expect(await ids({ q: '1%0' })).toEqual([]);
    expect(await ids({ q: '\\' })).toEqual([viewId(4)]);
  });

  it('combines filters', async () => {
    await harness.seed(
      view(1, { lastName: 'Smith' }),
      view(2, { lastName: 'Smith', status: 'deactivated' }),
      view(3, { lastName: 'Jones' }),
    );

    expect(await ids({ q: 'smith', status: 'active' })).toEqual([viewId(1)]);
    expect(await ids({ q: 'smith', email: 'person2@example.com' })).toEqual([viewId(2)]);
  });

  it('returns at most limit views', async () => {
    await harness.seed(view(1), view(2), view(3));

    expect(await ids({ limit: 2 })).toEqual([viewId(1), viewId(2)]);
    expect(await ids({ limit: 1, status: 'active' })).toEqual([viewId(1)]);
  });

  it('pages by keyset: afterId returns the views whose id sorts after it', async () => {
    const numbers = [5, 0xb, 1, 0xc0, 2];
    await harness.seed(...numbers.map((n) => view(n)));
    const pages: string[][] = [];
    let afterId: string | undefined;

    for (;;) {
      const page = await ids({ limit: 2, ...(afterId !== undefined && { afterId }) });
      if (page.length === 0) break;
      pages.push(page);
      afterId = page.at(-1);
    }

    expect(pages).toEqual([[viewId(1), viewId(2)], [viewId(5), viewId(0xb)], [viewId(0xc0)]]);
    expect(await ids({ afterId: viewId(3) })).toEqual([viewId(5), viewId(0xb), viewId(0xc0)]);
  });

  it('hides an erased user from findById and from every listing', async () => {
    const erased = view(1, { email: 'gone@example.com', username: 'gone' });
    await harness.seed(erased, view(2));

    await harness.erase(erased.id);

    expect(await harness.reader.findById(erased.id)).toBeNull();
    expect(await ids({})).toEqual([viewId(2)]);
    expect(await ids({ email: 'gone@example.com' })).toEqual([]);
    expect(await ids({ username: 'gone' })).toEqual([]);
    expect(await ids({ q: 'gone' })).toEqual([]);
    expect(await ids({ status: 'active' })).toEqual([viewId(2)]);
  });
}
