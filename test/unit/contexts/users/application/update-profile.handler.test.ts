import { describe, expect, it } from 'vitest';
import type { UpdateProfileCommand } from '../../../../../src/contexts/users/application/update-profile/update-profile.command.js';
import { UpdateProfileHandler } from '../../../../../src/contexts/users/application/update-profile/update-profile.handler.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersSpec } from '../../../../support/in-memory/users-fixture.js';

const spec = usersSpec((f) => new UpdateProfileHandler(f.uow, f.clock));
const update = (userId: string, changes: Omit<UpdateProfileCommand, 'type' | 'userId'> = {}): UpdateProfileCommand => ({
  type: 'users.update_profile',
  userId,
  ...changes,
});

describe('UpdateProfileHandler', () => {
  it('stores the changes, answers the new version and appends only the fields that changed', async () => {
    const user = UserMother.persisted({ firstName: 'Ada', lastName: 'Lovelace' });
    const { stored } = await spec
      .given(user)
      .when(update(user.id, { firstName: 'Ada', lastName: 'King', username: ' New.Name ' }))
      .then({
        result: { resourceId: user.id, version: 2 },
        events: [
          UserMother.event(UserEventTypes.profileUpdated, user.id, 2, { lastName: 'King', username: 'new.name' }),
        ],
      });
    expect(await stored(user.id)).toMatchObject({
      firstName: 'Ada',
      lastName: 'King',
      username: 'new.name',
      version: 2,
    });
  });

  it.each([
    ['values it already has, in another case', { firstName: 'Ada', username: 'ADA' }],
    ['nothing at all', {}],
  ])('records no event and keeps the version for a change to %s', async (_case, changes) => {
    const user = UserMother.persisted({ firstName: 'Ada', username: 'ada' });
    const { stored } = await spec
      .given(user)
      .when(update(user.id, changes))
      .then({ result: { resourceId: user.id, version: 1 }, events: [] });
    expect(await stored(user.id)).toEqual(user.snapshot());
  });

  it('applies the change when If-Match names the current version', async () => {
    const user = UserMother.persisted();
    await spec
      .given(user)
      .when(update(user.id, { expectedVersions: [1], lastName: 'King' }))
      .then({ result: { resourceId: user.id, version: 2 } });
  });

  it('refuses a stale If-Match version with version_conflict', async () => {
    const user = UserMother.persisted();
    await spec
      .given(user)
      .when(update(user.id, { expectedVersions: [3], lastName: 'King' }))
      .thenThrows({ code: 'version_conflict' });
  });

  it('refuses a username another live user holds with username_taken', async () => {
    const user = UserMother.persisted();
    await spec
      .given(UserMother.persisted({ username: 'taken' }), user)
      .when(update(user.id, { username: 'Taken' }))
      .thenThrows({ code: 'username_taken', errors: [{ field: 'username' }] });
  });

  it('reports every invalid field at once with validation_failed', async () => {
    const user = UserMother.persisted();
    const { stored } = await spec
      .given(user)
      .when(update(user.id, { firstName: '', lastName: 'x'.repeat(101), username: 'no spaces' }))
      .thenThrows({
        code: 'validation_failed',
        errors: [{ field: 'firstName' }, { field: 'lastName' }, { field: 'username' }],
      });
    expect(await stored(user.id)).toEqual(user.snapshot());
  });
});
