import { describe, expect, it } from 'vitest';
import { CreateUserHandler } from '../../../../../src/contexts/users/application/create-user/create-user.handler.js';
import { UserEventTypes } from '../../../../../src/contexts/users/domain/user-events.js';
import { UserMother } from '../../../../mothers/user.mother.js';
import { usersFixture } from '../../../../support/in-memory/users-fixture.js';

function setup(options: { failingOutbox?: boolean } = {}) {
  const fixture = usersFixture(options);
  return { ...fixture, handler: new CreateUserHandler(fixture.uow, fixture.clock) };
}

describe('CreateUserHandler', () => {
  it('stores the user and answers its id at version 1', async () => {
    const { handler, users } = setup();
    const command = UserMother.createCommand();
    await expect(handler.handle(command)).resolves.toEqual({ resourceId: command.userId, version: 1 });
    expect((await users.findById(command.userId))?.snapshot()).toMatchObject({
      email: command.email,
      passwordHash: command.passwordHash,
      status: 'active',
      version: 1,
    });
  });

  it('appends users.user.created to the outbox in the same unit of work', async () => {
    const { handler, outbox, clock } = setup();
    const command = UserMother.createCommand({ email: 'ada@example.com', username: 'ada', roles: ['admin', 'user'] });
    await handler.handle(command);
    expect(outbox.events).toEqual([
      {
        type: UserEventTypes.created,
        version: 1,
        occurredAt: clock.now(),
        aggregateId: command.userId,
        aggregateVersion: 1,
        data: {
          email: 'ada@example.com',
          username: 'ada',
          firstName: 'Ada',
          lastName: 'Lovelace',
          roles: ['admin', 'user'],
          status: 'active',
        },
      },
    ]);
  });

  it('never puts the password hash in the event', async () => {
    const { handler, outbox } = setup();
    const command = UserMother.createCommand();
    await handler.handle(command);
    expect(JSON.stringify(outbox.events)).not.toContain(command.passwordHash);
  });

  it('stores email and username in their normal form', async () => {
    const { handler, users } = setup();
    const command = UserMother.createCommand({ email: ' Ada@Example.COM ', username: 'Ada_L' });
    await handler.handle(command);
    expect((await users.findById(command.userId))?.snapshot()).toMatchObject({
      email: 'ada@example.com',
      username: 'ada_l',
    });
  });

  it('gives a user without roles the user role', async () => {
    const { handler, outbox } = setup();
    await handler.handle(UserMother.createCommand({ roles: [] }));
    expect(outbox.events[0]?.data).toMatchObject({ roles: ['user'] });
  });

  it('refuses an email a live user holds, whatever its case, with email_taken', async () => {
    const { handler, seed, outbox } = setup();
    await seed(UserMother.persisted({ email: 'ada@example.com' }));
    await expect(handler.handle(UserMother.createCommand({ email: 'ADA@example.com' }))).rejects.toMatchObject({
      code: 'email_taken',
      errors: [{ field: 'email', message: 'is already taken' }],
    });
    expect(outbox.events).toEqual([]);
  });

  it('refuses a username a live user holds with username_taken', async () => {
    const { handler, seed } = setup();
    await seed(UserMother.persisted({ username: 'ada' }));
    await expect(handler.handle(UserMother.createCommand({ username: 'Ada' }))).rejects.toMatchObject({
      code: 'username_taken',
      errors: [{ field: 'username', message: 'is already taken' }],
    });
  });

  it('reports every invalid field at once with validation_failed', async () => {
    const { handler, users } = setup();
    const command = UserMother.createCommand({ email: 'nope', username: '-x', firstName: ' ', lastName: 'Ok' });
    await expect(handler.handle(command)).rejects.toMatchObject({
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
    const { handler } = setup();
    const command = UserMother.createCommand({ roles: ['root' as 'user'] });
    await expect(handler.handle(command)).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'roles', message: 'unknown role(s): root' }],
    });
  });

  it('stores nothing when the outbox append fails', async () => {
    const { handler, users } = setup({ failingOutbox: true });
    await expect(handler.handle(UserMother.createCommand())).rejects.toThrow('outbox unavailable');
    expect(users.rows.size).toBe(0);
  });
});
