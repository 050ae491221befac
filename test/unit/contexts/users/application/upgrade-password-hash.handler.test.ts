import { describe, expect, it } from 'vitest';
import type { UpgradePasswordHashCommand } from '../../../../../src/contexts/users/application/upgrade-password-hash/upgrade-password-hash.command.js';
import { UpgradePasswordHashHandler } from '../../../../../src/contexts/users/application/upgrade-password-hash/upgrade-password-hash.handler.js';
import type { User } from '../../../../../src/contexts/users/domain/user.js';
import { ConcurrentModificationError } from '../../../../../src/contexts/users/domain/user-repository.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { InMemoryUserRepository } from '../../../../support/in-memory/in-memory-user-repository.js';
import { InMemoryUsersUnitOfWork } from '../../../../support/in-memory/in-memory-users-unit-of-work.js';
import { usersFixture } from '../../../../support/in-memory/users-fixture.js';

const OLD_HASH = '$2b$10$abcdefghijklmnopqrstuuJ9Zl0bQk3Q6m3y2e7m4G9n3i6zQ1m2a';
const NEW_HASH = '$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA';

function setup() {
  const fixture = usersFixture();
  return { ...fixture, handler: new UpgradePasswordHashHandler(fixture.uow) };
}

const upgrade = (userId: string, previousHash = OLD_HASH): UpgradePasswordHashCommand => ({
  type: 'users.upgrade_password_hash',
  userId,
  previousHash,
  passwordHash: NEW_HASH,
});

/** Another writer commits right after this one loaded the user. */
class RacingUserRepository extends InMemoryUserRepository {
  override async findById(id: string): Promise<User | null> {
    const user = await super.findById(id);
    const row = this.rows.get(id);
    if (row) this.rows.set(id, { ...row, version: row.version + 1 });
    return user;
  }
}

describe('UpgradePasswordHashHandler', () => {
  it('replaces the outdated hash without a new version or an event', async () => {
    const { handler, seed, users, outbox } = setup();
    const user = await seed(UserMother.persisted({ passwordHash: OLD_HASH }));
    await expect(handler.handle(upgrade(user.id))).resolves.toEqual({ resourceId: user.id, version: 1 });
    expect((await users.findById(user.id))?.snapshot()).toMatchObject({
      passwordHash: NEW_HASH,
      version: 1,
      updatedAt: user.snapshot().updatedAt,
    });
    expect(outbox.events).toEqual([]);
  });

  it('drops the upgrade when the password changed since login read the hash', async () => {
    const { handler, seed, users } = setup();
    const user = await seed(UserMother.persisted({ passwordHash: '$argon2id$changed-meanwhile' }));
    await expect(handler.handle(upgrade(user.id))).resolves.toEqual({ resourceId: user.id, version: 1 });
    expect((await users.findById(user.id))?.passwordHash).toBe('$argon2id$changed-meanwhile');
  });

  it('refuses an unknown user with not_found', async () => {
    const { handler } = setup();
    await expect(handler.handle(upgrade(UserMother.id()))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('surfaces a concurrent write as ConcurrentModificationError, so the command is retried', async () => {
    const uow = new InMemoryUsersUnitOfWork(new RacingUserRepository());
    const user = UserMother.persisted({ passwordHash: OLD_HASH });
    await uow.users.insert(user);
    await expect(new UpgradePasswordHashHandler(uow).handle(upgrade(user.id))).rejects.toBeInstanceOf(
      ConcurrentModificationError,
    );
    expect((await uow.users.findById(user.id))?.passwordHash).toBe(OLD_HASH);
  });
});
