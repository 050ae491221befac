import { describe, expect, it } from 'vitest';
import type { UsersUnitOfWork } from '../../src/contexts/users/application/users-scope.js';
import { PersonName } from '../../src/contexts/users/domain/person-name.js';
import { User } from '../../src/contexts/users/domain/user.js';
import { UserEventTypes } from '../../src/contexts/users/domain/user-events.js';
import { EmailTakenError, UsernameTakenError, UserNotFoundError } from '../../src/contexts/users/domain/user-errors.js';
import { ConcurrentModificationError, type UserRepository } from '../../src/contexts/users/domain/user-repository.js';
import { Username } from '../../src/contexts/users/domain/username.js';
import { UserMother } from '../mothers/user.mother.js';

/** What a UserRepository adapter gives the shared suite. */
export interface UserRepositoryHarness {
  /** The adapter's unit of work: one transaction over its repository and its outbox. */
  readonly uow: UsersUnitOfWork;
  /** Whatever storage still holds for `id`, raw: lets the suite prove erasure left no personal data. */
  storedRow(id: string): Promise<unknown>;
  /** Changes whenever the user's row is written (`xmin` in SQL): how the suite proves nothing was written. */
  writeStamp(id: string): Promise<unknown>;
  /** The events the outbox holds for one aggregate, in append order. */
  outboxEvents(id: string): Promise<{ type: string; aggregateVersion: number }[]>;
}

const LATER = new Date('2026-02-03T04:05:06.789Z');

/** A user with every field set to something distinct, so a field the adapter drops cannot pass. */
function fullyPopulatedUser(): User {
  const base = UserMother.registered(
    { firstName: 'Grace', lastName: 'Hopper', roles: ['admin', 'user'] },
    new Date('2026-01-02T03:04:05.678Z'),
  ).snapshot();
  return User.restore({
    ...base,
    passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$${base.id}$aGFzaA`,
    status: 'deactivated',
    version: 3,
    updatedAt: LATER,
  });
}

export function userRepositoryContract(harness: UserRepositoryHarness): void {
  /** Runs `work` the way the application uses the adapter: inside one unit of work. */
  const run = <T>(work: (users: UserRepository) => Promise<T>): Promise<T> =>
    harness.uow.run(({ users }) => work(users));
  const insert = (user: User): Promise<void> => run((users) => users.insert(user));
  const load = (id: string): Promise<User | null> => run((users) => users.findById(id));
  const loadExisting = async (id: string): Promise<User> => {
    const user = await load(id);
    if (!user) throw new Error(`test setup: user ${id} is missing`);
    return user;
  };
  const inserted = async (overrides: Parameters<typeof UserMother.registered>[0] = {}): Promise<User> => {
    const user = UserMother.registered(overrides);
    await insert(user);
    return loadExisting(user.id);
  };

  it('finds nothing for an unknown id', async () => {
    expect(await load(UserMother.id())).toBeNull();
  });

  it('reads back every field of an inserted user, at its version, with no pending events', async () => {
    const user = fullyPopulatedUser();
    await insert(user);

    const loaded = await loadExisting(user.id);

    expect(loaded.snapshot()).toEqual(user.snapshot());
    expect(loaded.persistedVersion).toBe(3);
    expect(loaded.peekEvents()).toEqual([]);
  });

  it('reads back a freshly registered user at version 1', async () => {
    const user = UserMother.registered();
    await insert(user);

    const loaded = await loadExisting(user.id);

    expect(loaded.snapshot()).toEqual(user.snapshot());
    expect(loaded.persistedVersion).toBe(1);
  });

  it('tells whether an email or username is taken, ignoring the user given as exceptId', async () => {
    const user = await inserted();
    const other = UserMother.id();

    await run(async (users) => {
      expect(await users.emailTaken(user.email)).toBe(true);
      expect(await users.emailTaken(user.email, other)).toBe(true);
      expect(await users.emailTaken(user.email, user.id)).toBe(false);
      expect(await users.emailTaken(`free-${user.email}`)).toBe(false);
      expect(await users.usernameTaken(user.username)).toBe(true);
      expect(await users.usernameTaken(user.username, other)).toBe(true);
      expect(await users.usernameTaken(user.username, user.id)).toBe(false);
      expect(await users.usernameTaken(`${user.username}x`)).toBe(false);
    });
  });

  it.each([
    ['email', 'email_taken', EmailTakenError],
    ['username', 'username_taken', UsernameTakenError],
  ] as const)('refuses a second user with a taken %s (%s), the first one kept', async (field, code, type) => {
    const first = await inserted();
    const second = UserMother.registered({ [field]: first[field] });

    const error = await insert(second).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code });
    expect(await load(second.id)).toBeNull();
    expect((await loadExisting(first.id)).snapshot()).toEqual(first.snapshot());
  });

  it('refuses to insert over an existing id', async () => {
    const first = await inserted();
    const twin = UserMother.registered({ userId: first.id });

    await expect(insert(twin)).rejects.toThrow();
    expect((await loadExisting(first.id)).snapshot()).toEqual(first.snapshot());
  });

  it('updates the stored user to the aggregate’s new state and version', async () => {
    const user = await inserted();
    user.updateProfile(
      { firstName: PersonName.create('firstName', 'Katherine'), username: Username.create(`${user.username}.new`) },
      LATER,
    );
    user.deactivate(LATER);

    await run((users) => users.update(user));

    const loaded = await loadExisting(user.id);
    expect(loaded.snapshot()).toEqual(user.snapshot());
    expect(loaded.version).toBe(3);
    expect(loaded.persistedVersion).toBe(3);
  });

  it('refuses an update to a username another user holds: UsernameTakenError', async () => {
    const holder = await inserted();
    const user = await inserted();
    user.updateProfile({ username: Username.create(holder.username) }, LATER);

    const error = await run((users) => users.update(user)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UsernameTakenError);
    expect((await loadExisting(user.id)).username).not.toBe(holder.username);
  });

  it('refuses an update based on a stale version: ConcurrentModificationError, the winner kept', async () => {
    const id = (await inserted()).id;
    const winner = await loadExisting(id);
    const loser = await loadExisting(id);
    winner.updateProfile({ firstName: PersonName.create('firstName', 'Winner') }, LATER);
    loser.updateProfile({ firstName: PersonName.create('firstName', 'Loser') }, LATER);

    await run((users) => users.update(winner));
    const error = await run((users) => users.update(loser)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConcurrentModificationError);
    expect((await loadExisting(id)).snapshot()).toEqual(winner.snapshot());
  });

  it('refuses an update of a user that was never stored: ConcurrentModificationError', async () => {
    const ghost = UserMother.persisted();
    ghost.deactivate(LATER);

    await expect(run((users) => users.update(ghost))).rejects.toBeInstanceOf(ConcurrentModificationError);
  });

  it('erases a user: not found any more, and its email and username are free again', async () => {
    const user = await inserted();
    user.delete(LATER);

    await run((users) => users.erase(user));

    expect(await load(user.id)).toBeNull();
    await run(async (users) => {
      expect(await users.emailTaken(user.email)).toBe(false);
      expect(await users.usernameTaken(user.username)).toBe(false);
    });
    const successor = UserMother.registered({ email: user.email, username: user.username });
    await insert(successor);
    expect((await loadExisting(successor.id)).email).toBe(user.email);
  });

  it('erasure keeps no personal data of the user', async () => {
    const user = await inserted({ firstName: 'Hedwig', lastName: 'Kiesler' });
    const personal = user.snapshot();
    user.delete(LATER);

    await run((users) => users.erase(user));

    const stored = JSON.stringify((await harness.storedRow(user.id)) ?? null);
    for (const value of [personal.email, personal.username, 'Hedwig', 'Kiesler', personal.passwordHash]) {
      expect(stored).not.toContain(value);
    }
  });

  it('refuses an erasure based on a stale version: ConcurrentModificationError, the user kept', async () => {
    const id = (await inserted()).id;
    const winner = await loadExisting(id);
    const loser = await loadExisting(id);
    winner.deactivate(LATER);
    loser.delete(LATER);

    await run((users) => users.update(winner));
    const error = await run((users) => users.erase(loser)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConcurrentModificationError);
    expect((await loadExisting(id)).snapshot()).toEqual(winner.snapshot());
  });

  describe('load–change–save through the unit of work', () => {
    it('update loads the user, applies the change, stores it and hands its events to the outbox', async () => {
      const user = await inserted();

      const result = await harness.uow.update(user.id, (loaded) => {
        loaded.updateProfile({ firstName: PersonName.create('firstName', 'Katherine') }, LATER);
        loaded.deactivate(LATER);
      });

      expect(result).toEqual({ resourceId: user.id, version: 3 });
      expect((await loadExisting(user.id)).snapshot()).toMatchObject({
        firstName: 'Katherine',
        status: 'deactivated',
        version: 3,
        updatedAt: LATER,
      });
      expect(await harness.outboxEvents(user.id)).toEqual([
        { type: UserEventTypes.profileUpdated, aggregateVersion: 2 },
        { type: UserEventTypes.deactivated, aggregateVersion: 3 },
      ]);
    });

    it('update hands the change the scope, to check other users in the same transaction', async () => {
      const holder = await inserted();
      const user = await inserted();
      const taken: boolean[] = [];

      await harness.uow.update(user.id, async (loaded, { users }) => {
        taken.push(await users.usernameTaken(holder.username, loaded.id));
        taken.push(await users.usernameTaken(loaded.username, loaded.id));
      });

      expect(taken).toEqual([true, false]);
    });

    it('update of an unknown user: UserNotFoundError, and the change never runs', async () => {
      let ran = false;

      const error = await harness.uow
        .update(UserMother.id(), () => {
          ran = true;
        })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(UserNotFoundError);
      expect(error).toMatchObject({ code: 'not_found' });
      expect(ran).toBe(false);
    });

    it('update that changes nothing writes nothing: the row untouched, no event, the same version', async () => {
      const user = await inserted();
      const stamp = await harness.writeStamp(user.id);

      const result = await harness.uow.update(user.id, (loaded) => loaded.activate(LATER));

      expect(result).toEqual({ resourceId: user.id, version: 1 });
      expect(await harness.writeStamp(user.id)).toBe(stamp);
      expect(await harness.outboxEvents(user.id)).toEqual([]);
    });

    it('update stores a change that records no event (a hash upgrade) and appends nothing', async () => {
      const user = await inserted();
      const upgraded = `$argon2id$v=19$m=19456,t=2,p=1$${user.id}$bmV3`;

      const result = await harness.uow.update(user.id, (loaded) =>
        loaded.upgradePasswordHash(loaded.passwordHash, upgraded),
      );

      expect(result).toEqual({ resourceId: user.id, version: 1 });
      expect((await loadExisting(user.id)).passwordHash).toBe(upgraded);
      expect(await harness.outboxEvents(user.id)).toEqual([]);
    });

    it('update whose change throws stores nothing and appends nothing', async () => {
      const user = await inserted();

      await expect(
        harness.uow.update(user.id, (loaded) => {
          loaded.deactivate(LATER);
          throw new Error('refused half-way');
        }),
      ).rejects.toThrow('refused half-way');

      expect((await loadExisting(user.id)).snapshot()).toEqual(user.snapshot());
      expect(await harness.outboxEvents(user.id)).toEqual([]);
    });

    it('update based on a stale version: ConcurrentModificationError, and nothing of the transaction kept', async () => {
      const user = await inserted();

      const error = await harness.uow
        .update(user.id, async (loaded, { users }) => {
          // Another writer stores the user after this change loaded it.
          const rival = (await users.findById(user.id))!;
          rival.updateProfile({ firstName: PersonName.create('firstName', 'Rival') }, LATER);
          await users.update(rival);
          loaded.deactivate(LATER);
        })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ConcurrentModificationError);
      expect((await loadExisting(user.id)).snapshot()).toEqual(user.snapshot());
      expect(await harness.outboxEvents(user.id)).toEqual([]);
    });

    it('erase applies the change, erases the user, hands its events to the outbox and answers no version', async () => {
      const user = await inserted({ firstName: 'Hedwig', lastName: 'Kiesler' });

      const result = await harness.uow.erase(user.id, (loaded) => loaded.delete(LATER));

      expect(result).toEqual({ resourceId: user.id, version: null });
      expect(await load(user.id)).toBeNull();
      expect(JSON.stringify((await harness.storedRow(user.id)) ?? null)).not.toContain('Hedwig');
      expect(await harness.outboxEvents(user.id)).toEqual([{ type: UserEventTypes.deleted, aggregateVersion: 2 }]);
    });

    it('erase of an unknown user: UserNotFoundError', async () => {
      await expect(harness.uow.erase(UserMother.id(), (loaded) => loaded.delete(LATER))).rejects.toBeInstanceOf(
        UserNotFoundError,
      );
    });
  });
}
