import { describe, expect, it } from 'vitest';
import type { UpdateProfileCommand } from '../../../../../src/contexts/users/application/update-profile/update-profile.command.js';
import { UpdateProfileHandler } from '../../../../../src/contexts/users/application/update-profile/update-profile.handler.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersFixture } from '../../../../support/in-memory/users-fixture.js';

function setup(options: { failingOutbox?: boolean } = {}) {
  const fixture = usersFixture(options);
  return { ...fixture, handler: new UpdateProfileHandler(fixture.uow, fixture.clock) };
}

const update = (userId: string, changes: Omit<UpdateProfileCommand, 'type' | 'userId'> = {}): UpdateProfileCommand => ({
  type: 'users.update_profile',
  userId,
  ...changes,
});

describe('UpdateProfileHandler', () => {
  it('stores the changes and answers the new version', async () => {
    const { handler, seed, users } = setup();
    const user = await seed(UserMother.persisted({ firstName: 'Ada' }));
    await expect(handler.handle(update(user.id, { firstName: 'Augusta' }))).resolves.toEqual({
      resourceId: user.id,
      version: 2,
    });
    expect((await users.findById(user.id))?.snapshot()).toMatchObject({ firstName: 'Augusta', version: 2 });
  });

  it('appends users.user.profile_updated with only the fields that changed', async () => {
    const { handler, seed, outbox, clock } = setup();
    const user = await seed(UserMother.persisted({ firstName: 'Ada', lastName: 'Lovelace' }));
    await handler.handle(update(user.id, { firstName: 'Ada', lastName: 'King', username: ' New.Name ' }));
    expect(outbox.events).toEqual([
      {
        type: UserEventTypes.profileUpdated,
        version: 1,
        occurredAt: clock.now(),
        aggregateId: user.id,
        aggregateVersion: 2,
        data: { lastName: 'King', username: 'new.name' },
      },
    ]);
  });

  it('records no event and keeps the version when nothing changes', async () => {
    const { handler, seed, users, outbox } = setup();
    const user = await seed(UserMother.persisted({ firstName: 'Ada', username: 'ada' }));
    await expect(handler.handle(update(user.id, { firstName: 'Ada', username: 'ADA' }))).resolves.toEqual({
      resourceId: user.id,
      version: 1,
    });
    expect(outbox.events).toEqual([]);
    expect((await users.findById(user.id))?.version).toBe(1);
  });

  it('records no event for an empty change', async () => {
    const { handler, seed, outbox } = setup();
    const user = await seed(UserMother.persisted());
    await handler.handle(update(user.id));
    expect(outbox.events).toEqual([]);
  });

  it('applies the change when If-Match names the current version', async () => {
    const { handler, seed } = setup();
    const user = await seed(UserMother.persisted());
    await expect(handler.handle(update(user.id, { expectedVersion: 1, lastName: 'King' }))).resolves.toMatchObject({
      version: 2,
    });
  });

  it('refuses a stale If-Match version with version_conflict', async () => {
    const { handler, seed, outbox } = setup();
    const user = await seed(UserMother.persisted());
    await expect(handler.handle(update(user.id, { expectedVersion: 3, lastName: 'King' }))).rejects.toMatchObject({
      code: 'version_conflict',
    });
    expect(outbox.events).toEqual([]);
  });

  it('refuses an unknown user with not_found', async () => {
    const { handler } = setup();
    await expect(handler.handle(update(UserMother.id(), { lastName: 'King' }))).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses a username another live user holds with username_taken', async () => {
    const { handler, seed } = setup();
    await seed(UserMother.persisted({ username: 'taken' }));
    const user = await seed(UserMother.persisted());
    await expect(handler.handle(update(user.id, { username: 'Taken' }))).rejects.toMatchObject({
      code: 'username_taken',
      errors: [{ field: 'username' }],
    });
  });

  it('reports every invalid field at once with validation_failed', async () => {
    const { handler, seed } = setup();
    const user = await seed(UserMother.persisted());
    await expect(
      handler.handle(update(user.id, { firstName: '', lastName: 'x'.repeat(101), username: 'no spaces' })),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'firstName' }, { field: 'lastName' }, { field: 'username' }],
    });
  });

  it('leaves the stored user as it was when the outbox append fails', async () => {
    const { handler, seed, users } = setup({ failingOutbox: true });
    const user = await seed(UserMother.persisted({ lastName: 'Lovelace' }));
    await expect(handler.handle(update(user.id, { lastName: 'King' }))).rejects.toThrow('outbox unavailable');
    expect((await users.findById(user.id))?.snapshot()).toMatchObject({ lastName: 'Lovelace', version: 1 });
  });
});
