import { describe, expect, it } from 'vitest';
import { ActivateUserHandler } from '../../../../../src/contexts/users/application/activate-user/activate-user.handler.js';
import { ChangePasswordHandler } from '../../../../../src/contexts/users/application/change-password/change-password.handler.js';
import { DeactivateUserHandler } from '../../../../../src/contexts/users/application/deactivate-user/deactivate-user.handler.js';
import { DeleteUserHandler } from '../../../../../src/contexts/users/application/delete-user/delete-user.handler.js';
import { UpdateProfileHandler } from '../../../../../src/contexts/users/application/update-profile/update-profile.handler.js';
import { UpgradePasswordHashHandler } from '../../../../../src/contexts/users/application/upgrade-password-hash/upgrade-password-hash.handler.js';
import type { UsersUnitOfWork } from '../../../../../src/contexts/users/application/users-scope.js';
import type { User, UserSnapshot } from '../../../../../src/contexts/users/domain/user.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { ConcurrentModificationError } from '../../../../../src/contexts/users/domain/user-repository.js';
import type { CommandResult } from '../../../../../src/shared/application/command-bus.js';
import type { Clock } from '../../../../../src/shared/application/ports/clock.js';
import type { DomainEvent } from '../../../../../src/shared/domain/domain-event.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { CLOCK_START } from '../../../../support/in-memory/fixed-clock.js';
import type { Given, Handler, Then } from '../../../../support/handler-spec.js';
import { usersSpec, type UsersFixture, type UsersFixtureOptions } from '../../../../support/in-memory/users-fixture.js';

/** The command comes a day after the users were stored, so every updatedAt it sets is its own. */
const LATER = new Date(CLOCK_START.getTime() + 86_400_000);
const aDayPasses = ({ clock }: UsersFixture) => clock.advance(86_400_000);

const OLD_HASH = '$2b$10$abcdefghijklmnopqrstuuJ9Zl0bQk3Q6m3y2e7m4G9n3i6zQ1m2a';
const NEW_HASH = '$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA';

/** What the command makes of the user it changes. */
interface Change {
  readonly version: number | null;
  readonly events: readonly DomainEvent[];
  /** What differs in the stored state afterwards (undefined: nothing is stored any more). */
  readonly stored: Partial<UserSnapshot> | undefined;
}

interface Case {
  readonly name: string;
  /** A stored user the command changes, and how. */
  readonly user: () => User;
  readonly change: (user: User) => Change;
  /** A stored user the command leaves as it is, where there is one. */
  readonly unchanged?: () => User;
  /** Given `given`, when the handler's command for `userId`, on a fixture built with `options`. */
  readonly when: (
    userId: string,
    given: readonly Given<UsersFixture, User>[],
    options?: UsersFixtureOptions,
  ) => Then<UsersFixture, CommandResult>;
}

function userCase<C>(
  handler: new (uow: UsersUnitOfWork, clock: Clock) => Handler<C, CommandResult>,
  command: (userId: string) => C,
  scenario: Pick<Case, 'user' | 'change' | 'unchanged'>,
): Case {
  const spec = usersSpec((f) => new handler(f.uow, f.clock));
  return {
    name: handler.name,
    ...scenario,
    when: (userId, given, options = {}) =>
      spec
        .with(options)
        .given(...given)
        .when(command(userId)),
  };
}

const CASES: readonly Case[] = [
  userCase(ActivateUserHandler, (userId) => ({ type: 'users.activate_user', userId }) as const, {
    user: () => UserMother.deactivated(),
    change: (user) => ({
      version: 3,
      events: [UserMother.event(UserEventTypes.activated, user.id, 3, {}, LATER)],
      stored: { status: 'active', version: 3, updatedAt: LATER },
    }),
    unchanged: () => UserMother.persisted(),
  }),
  userCase(DeactivateUserHandler, (userId) => ({ type: 'users.deactivate_user', userId }) as const, {
    user: () => UserMother.persisted(),
    change: (user) => ({
      version: 2,
      events: [UserMother.event(UserEventTypes.deactivated, user.id, 2, {}, LATER)],
      stored: { status: 'deactivated', version: 2, updatedAt: LATER },
    }),
    unchanged: () => UserMother.deactivated(),
  }),
  userCase(DeleteUserHandler, (userId) => ({ type: 'users.delete_user', userId }) as const, {
    user: () => UserMother.persisted(),
    change: (user) => ({
      version: null,
      events: [UserMother.event(UserEventTypes.deleted, user.id, 2, {}, LATER)],
      stored: undefined,
    }),
  }),
  userCase(
    ChangePasswordHandler,
    (userId) => ({ type: 'users.change_password', userId, passwordHash: NEW_HASH }) as const,
    {
      user: () => UserMother.persisted(),
      change: (user) => ({
        version: 2,
        events: [UserMother.event(UserEventTypes.passwordChanged, user.id, 2, {}, LATER)],
        stored: { passwordHash: NEW_HASH, version: 2, updatedAt: LATER },
      }),
    },
  ),
  userCase(UpdateProfileHandler, (userId) => ({ type: 'users.update_profile', userId, lastName: 'King' }) as const, {
    user: () => UserMother.persisted({ lastName: 'Lovelace' }),
    change: (user) => ({
      version: 2,
      events: [UserMother.event(UserEventTypes.profileUpdated, user.id, 2, { lastName: 'King' }, LATER)],
      stored: { lastName: 'King', version: 2, updatedAt: LATER },
    }),
    unchanged: () => UserMother.persisted({ lastName: 'King' }),
  }),
  userCase(
    UpgradePasswordHashHandler,
    (userId) =>
      ({ type: 'users.upgrade_password_hash', userId, previousHash: OLD_HASH, passwordHash: NEW_HASH }) as const,
    {
      // The same password, hashed anew: stored, but no event and no new version.
      user: () => UserMother.persisted({ passwordHash: OLD_HASH }),
      change: () => ({ version: 1, events: [], stored: { passwordHash: NEW_HASH } }),
      // The password changed since login read the hash: the upgrade is dropped.
      unchanged: () => UserMother.persisted({ passwordHash: '$argon2id$changed-meanwhile' }),
    },
  ),
];

/** A step of `given`: the user was erased by an earlier command. */
const erasedBefore =
  (user: User) =>
  ({ uow, clock }: UsersFixture) =>
    uow.erase(user.id, (stored) => stored.delete(clock.now()));

/** Every handler that changes a stored user loads, changes and saves it in one unit of work. */
describe.each(CASES)('$name changes a stored user in one unit of work', ({ user, change, when }) => {
  it('stores the change, answers the new version and appends the events', async () => {
    const changed = user();
    const { version, events, stored: after } = change(changed);
    const { stored } = await when(changed.id, [changed, aDayPasses]).then({
      result: { resourceId: changed.id, version },
      events,
    });
    expect(await stored(changed.id)).toEqual(after && { ...changed.snapshot(), ...after });
  });

  it('refuses an unknown user with not_found', async () => {
    await when(UserMother.id(), []).thenThrows({ code: 'not_found' });
  });

  it('refuses an erased user with not_found', async () => {
    const erased = user();
    await when(erased.id, [erased, erasedBefore(erased)]).thenThrows({ code: 'not_found' });
  });

  it('surfaces a concurrent write as ConcurrentModificationError, so the command is retried, and keeps the user', async () => {
    const raced = user();
    const { stored } = await when(raced.id, [raced], { racingWriter: true }).thenThrows(ConcurrentModificationError);
    expect(await stored(raced.id)).toEqual(raced.snapshot());
  });
});

describe.each(CASES.filter((c) => c.change(c.user()).events.length > 0))(
  '$name appends its events in the same unit of work',
  ({ user, when }) => {
    it('keeps the stored user as it was when the outbox append fails', async () => {
      const kept = user();
      const { stored } = await when(kept.id, [kept], { failingOutbox: true }).thenThrows('outbox unavailable');
      expect(await stored(kept.id)).toEqual(kept.snapshot());
    });
  },
);

describe.each(CASES.filter((c) => c.unchanged !== undefined))(
  '$name leaves a user it does not apply to as it is',
  ({ unchanged, when }) => {
    it('answers the same version, appends nothing and writes nothing', async () => {
      const user = unchanged!();
      let row: unknown;
      const remember = ({ users }: UsersFixture) => (row = users.rows.get(user.id));
      const { users } = await when(user.id, [user, remember]).then({
        result: { resourceId: user.id, version: user.version },
        events: [],
      });
      // A write stores a new snapshot object.
      expect(users.rows.get(user.id)).toBe(row);
    });
  },
);
