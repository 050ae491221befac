import type { CreateUserCommand } from '../../src/contexts/users/application/create-user/create-user.command.js';
import { Email } from '../../src/contexts/users/domain/email.js';
import { PersonName } from '../../src/contexts/users/domain/person-name.js';
import { User } from '../../src/contexts/users/domain/user.js';
import { Username } from '../../src/contexts/users/domain/username.js';

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
};
