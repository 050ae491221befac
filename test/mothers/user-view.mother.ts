import type { UserView } from '../../src/contexts/users/application/user-view.js';
import { UserMother } from './user.mother.js';

let counter = 0;

/** Object mother for the read model. Ids come from UserMother, so later views sort after earlier ones. */
export const UserViewMother = {
  view(overrides: Partial<UserView> = {}): UserView {
    counter += 1;
    const at = new Date('2026-01-01T00:00:00Z');
    return {
      id: UserMother.id(),
      email: `view${counter}@example.com`,
      username: `view${counter}`,
      firstName: 'Grace',
      lastName: 'Hopper',
      roles: ['user'],
      status: 'active',
      emailVerified: true,
      locale: 'en',
      createdAt: at,
      updatedAt: at,
      version: 1,
      ...overrides,
    };
  },
};
