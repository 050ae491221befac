import { describe, expect, it } from 'vitest';
import type { UpgradePasswordHashCommand } from '../../../../../src/contexts/users/application/upgrade-password-hash/upgrade-password-hash.command.js';
import { UpgradePasswordHashHandler } from '../../../../../src/contexts/users/application/upgrade-password-hash/upgrade-password-hash.handler.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersSpec } from '../../../../support/in-memory/users-fixture.js';

const OLD_HASH = '$2b$10$abcdefghijklmnopqrstuuJ9Zl0bQk3Q6m3y2e7m4G9n3i6zQ1m2a';
const NEW_HASH = '$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA';

const spec = usersSpec((f) => new UpgradePasswordHashHandler(f.uow));
const upgrade = (userId: string): UpgradePasswordHashCommand => ({
  type: 'users.upgrade_password_hash',
  userId,
  previousHash: OLD_HASH,
  passwordHash: NEW_HASH,
});

describe('UpgradePasswordHashHandler', () => {
  it('replaces the outdated hash without a new version or an event', async () => {
    const user = UserMother.persisted({ passwordHash: OLD_HASH });
    const { stored } = await spec
      .given(user)
      .when(upgrade(user.id))
      .then({ result: { resourceId: user.id, version: 1 }, events: [] });
    expect(await stored(user.id)).toEqual({ ...user.snapshot(), passwordHash: NEW_HASH });
  });

  it('drops the upgrade when the password changed since login read the hash', async () => {
    const user = UserMother.persisted({ passwordHash: '$argon2id$changed-meanwhile' });
    const { stored } = await spec
      .given(user)
      .when(upgrade(user.id))
      .then({ result: { resourceId: user.id, version: 1 }, events: [] });
    expect(await stored(user.id)).toEqual(user.snapshot());
  });
});
