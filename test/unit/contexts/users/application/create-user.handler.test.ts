import { describe, expect, it } from 'vitest';
import { CreateUserHandler } from '../../../../../src/contexts/users/application/create-user/create-user.handler.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersSpec } from '../../../../support/in-memory/users-fixture.js';

const spec = usersSpec((f) => new CreateUserHandler(f.uow, f.clock));

describe('CreateUserHandler', () => {
  it('stores the user, answers its id at version 1 and appends users.user.created', async () => {
    const command = UserMother.createCommand({ email: 'ada@example.com', username: 'ada', roles: ['admin', 'user'] });
    const { stored } = await spec.when(command).then({
      result: { resourceId: command.userId, version: 1 },
      events: [
        UserMother.event(UserEventTypes.created, command.userId, 1, {
          email: 'ada@example.com',
          username: 'ada',
          firstName: 'Ada',
          lastName: 'Lovelace',
          roles: ['admin', 'user'],
          status: 'active',
          emailVerified: true,
          locale: 'en',
        }),
      ],
    });
    expect(await stored(command.userId)).toMatchObject({
      email: command.email,
      passwordHash: command.passwordHash,
      status: 'active',
      version: 1,
    });
  });

  it('never puts the password hash in the event', async () => {
    const command = UserMother.createCommand();
    const { outbox } = await spec.when(command).then({});
    expect(JSON.stringify(outbox.events)).not.toContain(command.passwordHash);
  });

  it('stores email and username in their normal form', async () => {
    const command = UserMother.createCommand({ email: ' Ada@Example.COM ', username: 'Ada_L' });
    const { stored } = await spec.when(command).then({});
    expect(await stored(command.userId)).toMatchObject({ email: 'ada@example.com', username: 'ada_l' });
  });

  it('gives a user without roles the user role', async () => {
    const { outbox } = await spec.when(UserMother.createCommand({ roles: [] })).then({});
    expect(outbox.events[0]?.data).toMatchObject({ roles: ['user'] });
  });

  it('refuses an email a live user holds, whatever its case, with email_taken', async () => {
    await spec
      .given(UserMother.persisted({ email: 'ada@example.com' }))
      .when(UserMother.createCommand({ email: 'ADA@example.com' }))
      .thenThrows({ code: 'email_taken', errors: [{ field: 'email', message: 'is already taken' }] });
  });

  it('refuses a username a live user holds with username_taken', async () => {
    await spec
      .given(UserMother.persisted({ username: 'ada' }))
      .when(UserMother.createCommand({ username: 'Ada' }))
      .thenThrows({ code: 'username_taken', errors: [{ field: 'username', message: 'is already taken' }] });
  });

  it('reports every invalid field at once with validation_failed, and stores nothing', async () => {
    const command = UserMother.createCommand({ email: 'nope', username: '-x', firstName: ' ', lastName: 'Ok' });
    const { users } = await spec.when(command).thenThrows({
      code: 'validation_failed',
      errors: [
        { field: 'email', message: 'is not a valid email address' },
        { field: 'username', message: 'must be 3 to 30 characters' },
        { field: 'firstName', message: 'must be 1 to 100 characters' },
      ],
    });
    expect(users.rows.size).toBe(0);
  });

  it('refuses unknown roles with validation_failed on roles', async () => {
    await spec.when(UserMother.createCommand({ roles: ['root' as 'user'] })).thenThrows({
      code: 'validation_failed',
      errors: [{ field: 'roles', message: 'unknown role(s): root' }],
    });
  });

  it('stores nothing when the outbox append fails', async () => {
    const { users } = await spec
      .with({ failingOutbox: true })
      .when(UserMother.createCommand())
      .thenThrows('outbox unavailable');
    expect(users.rows.size).toBe(0);
  });
});
