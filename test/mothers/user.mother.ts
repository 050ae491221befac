import type { CreateUserCommand } from '../../src/contexts/users/application/create-user/create-user.command.js';
import { Email } from '../../src/contexts/users/domain/email.js';
import { PersonName } from '../../src/contexts/users/domain/person-name.js';
import { User } from '../../src/contexts/users/domain/user.js';
import type { UserEventType } from '../../src/contexts/users/domain/user-events.js';
import { Username } from '../../src/contexts/users/domain/username.js';
import type { DomainEvent } from '../../src/shared/domain/domain-event.js';
import { CLOCK_START } from '../support/in-memory/fixed-clock.js';

let counter = 0;
const unique = (): number => {
  counter += 1;
  return counter;
};

/** Object mother: valid users and commands, with only what a test cares about overridden. */
export const UserMother = {
  id(n = unique()): string {
    return `00000000-0000-7000-9000-${String(n).padStart(12, '0')}`;
  },

  createCommand(overrides: Partial<CreateUserCommand> = {}): CreateUserCommand {
    const n = unique();
    return {
      type: 'users.create_user',
      userId: UserMother.id(n),
      email: `user${n}@example.com`,
      username: `user${n}`,
      firstName: 'Ada',
      lastName: 'Lovelace',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaA',
      roles: ['user'],
      ...overrides,
    };
  },

  registered(overrides: Partial<CreateUserCommand> = {}, now = new Date('2026-01-01T00:00:00Z')): User {
    const c = UserMother.createCommand(overrides);
    const user = User.register(
      {
        id: c.userId,
        email: Email.create(c.email),
        username: Username.create(c.username),
        firstName: PersonName.create('firstName', c.firstName),
        lastName: PersonName.create('lastName', c.lastName),
        passwordHash: c.passwordHash,
        roles: c.roles,
        emailVerified: c.emailVerified ?? true,
        locale: c.locale ?? 'en',
      },
      now,
    );
    return user;
  },

  /** A user as loaded from storage: events already pulled, version 1. */
  persisted(overrides: Partial<CreateUserCommand> = {}): User {
    const user = UserMother.registered(overrides);
    return User.restore(user.snapshot());
  },

  /** A user stored deactivated, at version 2. */
  deactivated(overrides: Partial<CreateUserCommand> = {}): User {
    const user = UserMother.persisted(overrides);
    user.deactivate(new Date('2026-01-01T12:00:00Z'));
    return User.restore(user.snapshot());
  },

  /** An event as a users handler appends it: version 1, at the fixed clock's start unless told otherwise. */
  event(
    type: UserEventType,
    userId: string,
    aggregateVersion: number,
    data: Record<string, unknown> = {},
    occurredAt: Date = CLOCK_START,
  ): DomainEvent {
    return { type, version: 1, occurredAt, aggregateId: userId, aggregateVersion, data };
  },
};
