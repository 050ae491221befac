import { describe, expect, it } from 'vitest';
import { ActivateUserHandler } from '../../../../../src/contexts/users/application/activate-user/activate-user.handler.js';
import { ChangePasswordHandler } from '../../../../../src/contexts/users/application/change-password/change-password.handler.js';
import { DeactivateUserHandler } from '../../../../../src/contexts/users/application/deactivate-user/deactivate-user.handler.js';
import { DeleteUserHandler } from '../../../../../src/contexts/users/application/delete-user/delete-user.handler.js';
import { UpdateProfileHandler } from '../../../../../src/contexts/users/application/update-profile/update-profile.handler.js';
import { UpgradePasswordHashHandler } from '../../../../../src/contexts/users/application/upgrade-password-hash/upgrade-password-hash.handler.js';
import type { User } from '../../../../../src/contexts/users/domain/user.js';
import { ConcurrentModificationError } from '../../../../../src/contexts/users/domain/user-repository.js';
import type { CommandResult } from '../../../../../src/shared/application/command-bus.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import type { Given, Specification, Then } from '../../../../support/handler-spec.js';
import { usersSpec, type UsersFixture, type UsersFixtureOptions } from '../../../../support/in-memory/users-fixture.js';

const OLD_HASH = '$2b$10$abcdefghijklmnopqrstuuJ9Zl0bQk3Q6m3y2e7m4G9n3i6zQ1m2a';
const NEW_HASH = '$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA';

interface Case {
  readonly name: string;
  /** A stored user the command does change. */
  readonly user: () => User;
  /** Given `given`, when the handler's command for `userId`, on a fixture built with `options`. */
  readonly when: (
    userId: string,
    given: readonly Given<UsersFixture, User>[],
    options?: UsersFixtureOptions,
  ) => Then<UsersFixture, CommandResult>;
}

function userCase<C>(
  name: string,
  spec: Specification<UsersFixtureOptions, UsersFixture, User, C, CommandResult>,
  user: () => User,
  command: (userId: string) => C,
): Case {
  return {
    name,
    user,
    when: (userId, given, options = {}) =>
      spec
        .with(options)
        .given(...given)
        .when(command(userId)),
  };
}

/** Each handler with a command that changes the user it is given. */
const CASES: readonly Case[] = [
  userCase(
    'ActivateUserHandler',
    usersSpec((f) => new ActivateUserHandler(f.uow, f.clock)),
    () => UserMother.deactivated(),
    (userId) => ({ type: 'users.activate_user', userId }) as const,
  ),
  userCase(
    'DeactivateUserHandler',
    usersSpec((f) => new DeactivateUserHandler(f.uow, f.clock)),
    () => UserMother.persisted(),
    (userId) => ({ type: 'users.deactivate_user', userId }) as const,
  ),
  userCase(
    'DeleteUserHandler',
    usersSpec((f) => new DeleteUserHandler(f.uow, f.clock)),
    () => UserMother.persisted(),
    (userId) => ({ type: 'users.delete_user', userId }) as const,
  ),
  userCase(
    'ChangePasswordHandler',
    usersSpec((f) => new ChangePasswordHandler(f.uow, f.clock)),
    () => UserMother.persisted(),
    (userId) => ({ type: 'users.change_password', userId, passwordHash: NEW_HASH }) as const,
  ),
  userCase(
    'UpdateProfileHandler',
    usersSpec((f) => new UpdateProfileHandler(f.uow, f.clock)),
    () => UserMother.persisted({ lastName: 'Lovelace' }),
    (userId) => ({ type: 'users.update_profile', userId, lastName: 'King' }) as const,
  ),
  userCase(
    'UpgradePasswordHashHandler',
    usersSpec((f) => new UpgradePasswordHashHandler(f.uow)),
    () => UserMother.persisted({ passwordHash: OLD_HASH }),
    (userId) =>
      ({ type: 'users.upgrade_password_hash', userId, previousHash: OLD_HASH, passwordHash: NEW_HASH }) as const,
  ),
];

/** A step of `given`: the user was erased by an earlier command. */
const erasedBefore =
  (user: User) =>
  ({ uow, clock }: UsersFixture) =>
    uow.erase(user.id, (stored) => stored.delete(clock.now()));

/** Every handler that changes a stored user loads, changes and saves it in one unit of work. */
describe.each(CASES)('$name changes a stored user in one unit of work', ({ user, when }) => {
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

describe.each(CASES.filter((c) => c.name !== 'UpgradePasswordHashHandler'))(
  '$name appends its events in the same unit of work',
  ({ user, when }) => {
    it('keeps the stored user as it was when the outbox append fails', async () => {
      const kept = user();
      const { stored } = await when(kept.id, [kept], { failingOutbox: true }).thenThrows('outbox unavailable');
      expect(await stored(kept.id)).toEqual(kept.snapshot());
    });
  },
);
