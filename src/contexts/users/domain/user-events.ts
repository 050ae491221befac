import type { DomainEvent } from '../../../shared/domain/domain-event.js';
import type { UserRole } from './user-role.js';

/** Stable event type names: they are the routing keys on the wire, so they never change. */
export const UserEventTypes = {
  created: 'users.user.created',
  profileUpdated: 'users.user.profile_updated',
  deactivated: 'users.user.deactivated',
  activated: 'users.user.activated',
  deleted: 'users.user.deleted',
  passwordChanged: 'users.user.password_changed',
  emailVerified: 'users.user.email_verified',
  emailChanged: 'users.user.email_changed',
} as const;

export type UserEventType = (typeof UserEventTypes)[keyof typeof UserEventTypes];

export interface UserCreatedData {
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  roles: UserRole[];
  status: 'active';
  emailVerified: boolean;
  locale: string;
}

export interface UserEmailChangedData {
  email: string;
}

export interface UserProfileUpdatedData {
  firstName?: string;
  lastName?: string;
  username?: string;
}

export type UserCreated = DomainEvent<UserCreatedData>;
export type UserProfileUpdated = DomainEvent<UserProfileUpdatedData>;
export type UserDeactivated = DomainEvent<Record<string, never>>;
export type UserActivated = DomainEvent<Record<string, never>>;
export type UserDeleted = DomainEvent<Record<string, never>>;
