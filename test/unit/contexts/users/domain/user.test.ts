import { describe, expect, it } from 'vitest';
import { PersonName } from '../../../../../src/contexts/users/domain/person-name.js';
import { User } from '../../../../../src/contexts/users/domain/user.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { Username } from '../../../../../src/contexts/users/domain/username.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { expectRestoresAsStored } from '../../../../support/aggregate.js';
import { thrown } from '../../../../support/thrown.js';

const CREATED_AT = new Date('2026-01-01T00:00:00Z');
const LATER = new Date('2026-02-01T00:00:00Z');
const name = (value: string): PersonName => PersonName.create('firstName', value);

describe('User', () => {
  describe('register', () => {
    it('creates an active user at version 1', () => {
      const user = UserMother.registered({ email: 'ada@example.com', username: 'ada' }, CREATED_AT);
      expect(user.snapshot()).toMatchObject({
        email: 'ada@example.com',
        username: 'ada',
        status: 'active',
        version: 1,
        createdAt: CREATED_AT,
        updatedAt: CREATED_AT,
      });
    });

    it('records users.user.created with the new user as data', () => {
      const user = UserMother.registered({ email: 'ada@example.com', username: 'ada', roles: ['admin'] }, CREATED_AT);
      expect(user.pullEvents()).toEqual([
        {
          type: UserEventTypes.created,
          version: 1,
          occurredAt: CREATED_AT,
          aggregateId: user.id,
          aggregateVersion: 1,
          data: {
            email: 'ada@example.com',
            username: 'ada',
            firstName: 'Ada',
            lastName: 'Lovelace',
            roles: ['admin'],
            status: 'active',
            emailVerified: true,
            locale: 'en',
          },
        },
      ]);
    });
  });

  describe('restore and snapshot', () => {
    it('restores a stored user at its stored version, with no events to publish; its snapshots are copies', () => {
      expectRestoresAsStored({ ...UserMother.registered().snapshot(), version: 7 }, User.restore);
    });
  });

  describe('assertVersion', () => {
    it('passes when no version was expected', () => {
      expect(() => UserMother.persisted().assertVersion(undefined)).not.toThrow();
    });

    it('passes when one of the expected versions is the current one', () => {
      expect(() => UserMother.persisted().assertVersion([1])).not.toThrow();
      expect(() => UserMother.persisted().assertVersion([0, 1])).not.toThrow();
    });

    it('refuses stale expected versions, or none (only weak tags), with version_conflict', () => {
      expect(thrown(() => UserMother.persisted().assertVersion([0]))).toMatchObject({ code: 'version_conflict' });
      expect(thrown(() => UserMother.persisted().assertVersion([]))).toMatchObject({ code: 'version_conflict' });
    });
  });

  describe('updateProfile', () => {
    it('applies the changed fields and records only those in users.user.profile_updated', () => {
      const user = UserMother.persisted({ firstName: 'Ada', lastName: 'Lovelace', username: 'ada' });
      user.updateProfile(
        {
          firstName: name('Augusta'),
          lastName: PersonName.create('lastName', 'Lovelace'),
          username: Username.create('augusta'),
        },
        LATER,
      );
      expect(user.pullEvents()).toEqual([
        expect.objectContaining({
          type: UserEventTypes.profileUpdated,
          aggregateVersion: 2,
          occurredAt: LATER,
          data: { firstName: 'Augusta', username: 'augusta' },
        }),
      ]);
      expect(user.snapshot()).toMatchObject({
        firstName: 'Augusta',
        username: 'augusta',
        version: 2,
        updatedAt: LATER,
      });
    });

    it('can change only the last name', () => {
      const user = UserMother.persisted({ lastName: 'Lovelace' });
      user.updateProfile({ lastName: PersonName.create('lastName', 'King') }, LATER);
      expect(user.pullEvents().map((e) => e.data)).toEqual([{ lastName: 'King' }]);
    });

    it('records nothing and keeps the version when nothing changes', () => {
      const user = UserMother.persisted({ firstName: 'Ada', username: 'ada' });
      user.updateProfile({ firstName: name('Ada'), username: Username.create('ada') }, LATER);
      expect(user.pullEvents()).toEqual([]);
      expect(user.snapshot()).toMatchObject({ version: 1, updatedAt: CREATED_AT });
    });

    it('records nothing for an empty change', () => {
      const user = UserMother.persisted();
      user.updateProfile({}, LATER);
      expect(user.version).toBe(1);
    });
  });

  describe('deactivate and activate', () => {
    it('deactivating an active user records users.user.deactivated', () => {
      const user = UserMother.persisted();
      user.deactivate(LATER);
      expect(user.status).toBe('deactivated');
      expect(user.pullEvents()).toEqual([
        expect.objectContaining({ type: UserEventTypes.deactivated, aggregateVersion: 2, data: {} }),
      ]);
      expect(user.snapshot().updatedAt).toEqual(LATER);
    });

    it('deactivating a deactivated user changes nothing', () => {
      const user = UserMother.persisted();
      user.deactivate(LATER);
      user.pullEvents();
      user.deactivate(LATER);
      expect(user.pullEvents()).toEqual([]);
      expect(user.version).toBe(2);
    });

    it('activating a deactivated user records users.user.activated', () => {
      const user = UserMother.persisted();
      user.deactivate(LATER);
      user.pullEvents();
      user.activate(LATER);
      expect(user.status).toBe('active');
      expect(user.pullEvents()).toEqual([
        expect.objectContaining({ type: UserEventTypes.activated, aggregateVersion: 3, data: {} }),
      ]);
    });

    it('activating an active user changes nothing', () => {
      const user = UserMother.persisted();
      user.activate(LATER);
      expect(user.pullEvents()).toEqual([]);
      expect(user.version).toBe(1);
    });
  });

  describe('changePassword', () => {
    const NEW_HASH = '$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA';

    it('replaces the hash and records users.user.password_changed with empty data', () => {
      const user = UserMother.persisted();
      user.changePassword(NEW_HASH, LATER);
      expect(user.passwordHash).toBe(NEW_HASH);
      expect(user.snapshot()).toMatchObject({ passwordHash: NEW_HASH, updatedAt: LATER, version: 2 });
      expect(user.pullEvents()).toEqual([
        {
          type: UserEventTypes.passwordChanged,
          version: 1,
          occurredAt: LATER,
          aggregateId: user.id,
          aggregateVersion: 2,
          data: {},
        },
      ]);
    });

    it('never puts a hash in the event', () => {
      const user = UserMother.persisted();
      const oldHash = user.passwordHash;
      user.changePassword(NEW_HASH, LATER);
      const json = JSON.stringify(user.pullEvents());
      expect(json).not.toContain(NEW_HASH);
      expect(json).not.toContain(oldHash);
    });
  });

  describe('upgradePasswordHash', () => {
    const UPGRADED = '$argon2id$v=19$m=19456,t=2,p=1$dXBn$dXBncmFkZWQ';

    it('replaces the hash of the same password: no event, no new version, no new updatedAt, but changed', () => {
      const user = UserMother.persisted();
      user.upgradePasswordHash(user.passwordHash, UPGRADED);
      expect(user.passwordHash).toBe(UPGRADED);
      expect(user.snapshot()).toMatchObject({ version: 1, updatedAt: CREATED_AT });
      expect(user.pullEvents()).toEqual([]);
      expect(user.changed).toBe(true);
    });

    it('keeps a hash that is no longer the one login verified (the password changed meanwhile)', () => {
      const user = UserMother.persisted({ passwordHash: '$argon2id$changed-meanwhile' });
      user.upgradePasswordHash('$2b$10$the-hash-login-verified', UPGRADED);
      expect(user.passwordHash).toBe('$argon2id$changed-meanwhile');
      expect(user.changed).toBe(false);
    });
  });

  describe('changed', () => {
    it('is false for a user as loaded, and after a change that changes nothing', () => {
      const user = UserMother.persisted();
      expect(user.changed).toBe(false);
      user.activate(LATER);
      expect(user.changed).toBe(false);
    });

    it('is true once an event was recorded, even after the events were pulled', () => {
      const user = UserMother.persisted();
      user.deactivate(LATER);
      user.pullEvents();
      expect(user.changed).toBe(true);
    });
  });

  describe('delete', () => {
    it('records users.user.deleted', () => {
      const user = UserMother.persisted();
      user.delete(LATER);
      expect(user.pullEvents()).toEqual([
        expect.objectContaining({ type: UserEventTypes.deleted, aggregateVersion: 2, occurredAt: LATER, data: {} }),
      ]);
    });
  });

  it('exposes email and username', () => {
    const user = UserMother.persisted({ email: 'ada@example.com', username: 'ada' });
    expect([user.email, user.username]).toEqual(['ada@example.com', 'ada']);
  });
});
