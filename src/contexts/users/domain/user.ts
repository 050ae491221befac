import { SnapshotAggregate } from '../../../shared/domain/snapshot-aggregate.js';
import { VersionConflictError } from '../../../shared/domain/domain-error.js';
import type { Email } from './email.js';
import type { PersonName } from './person-name.js';
import { UserEventTypes, type UserCreatedData, type UserProfileUpdatedData } from './user-events.js';
import type { UserRole } from './user-role.js';
import type { Locale } from './locale.js';
import type { Username } from './username.js';

export type UserStatus = 'active' | 'deactivated';

/** Everything persisted about a user: what a repository stores and restores. */
export interface UserSnapshot {
  readonly id: string;
  readonly email: string;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly passwordHash: string;
  readonly roles: readonly UserRole[];
  readonly status: UserStatus;
  /** The owner proved the address is theirs (a confirmed mail), or an admin created the account. */
  readonly emailVerified: boolean;
  /** The language of the mails the user gets. */
  readonly locale: Locale;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewUser {
  readonly id: string;
  readonly email: Email;
  readonly username: Username;
  readonly firstName: PersonName;
  readonly lastName: PersonName;
  readonly passwordHash: string;
  readonly roles: readonly UserRole[];
  readonly emailVerified: boolean;
  readonly locale: Locale;
}

export interface ProfileChanges {
  readonly firstName?: PersonName;
  readonly lastName?: PersonName;
  readonly username?: Username;
}

export class User extends SnapshotAggregate<UserSnapshot> {
  /** Set by the one change that records no event (a hash upgrade), so that it is still stored. */
  private rehashed = false;

  private constructor(snapshot: UserSnapshot) {
    super(snapshot);
  }

  static register(props: NewUser, now: Date): User {
    const user = new User({
      id: props.id,
      email: props.email.value,
      username: props.username.value,
      firstName: props.firstName.value,
      lastName: props.lastName.value,
      passwordHash: props.passwordHash,
      roles: props.roles,
      status: 'active',
      emailVerified: props.emailVerified,
      locale: props.locale,
      createdAt: now,
      updatedAt: now,
      version: 0,
    });
    const data: UserCreatedData = {
      email: user.state.email,
      username: user.state.username,
      firstName: user.state.firstName,
      lastName: user.state.lastName,
      roles: [...user.state.roles],
      status: 'active',
      emailVerified: user.state.emailVerified,
      locale: user.state.locale,
    };
    user.record({ type: UserEventTypes.created, version: 1, occurredAt: now, data: { ...data } });
    return user;
  }

  static restore(snapshot: UserSnapshot): User {
    return new User(snapshot);
  }

  get email(): string {
    return this.state.email;
  }

  get username(): string {
    return this.state.username;
  }

  get status(): UserStatus {
    return this.state.status;
  }

  get emailVerified(): boolean {
    return this.state.emailVerified;
  }

  /** Idempotent: a second confirmation of the same address records nothing. */
  verifyEmail(now: Date): void {
    if (this.state.emailVerified) return;
    this.state = { ...this.state, emailVerified: true, updatedAt: now };
    this.record({ type: UserEventTypes.emailVerified, version: 1, occurredAt: now, data: {} });
  }

  /** A change confirmed from the new address, so that address is verified by the same act. */
  changeEmail(email: Email, now: Date): void {
    if (email.value === this.state.email) return;
    this.state = { ...this.state, email: email.value, emailVerified: true, updatedAt: now };
    this.record({ type: UserEventTypes.emailChanged, version: 1, occurredAt: now, data: { email: email.value } });
  }

  /** Guards a write that the client based on a version it read (`If-Match`). */
  /** The client's `If-Match`: the change applies only on top of one of the versions it read. */
  assertVersion(expected: readonly number[] | undefined): void {
    if (expected !== undefined && !expected.includes(this.version)) {
      throw new VersionConflictError(expected, this.version);
    }
  }

  /** Applies only what actually changes; an update that changes nothing records no event. */
  updateProfile(changes: ProfileChanges, now: Date): void {
    const data: UserProfileUpdatedData = {};
    if (changes.firstName && changes.firstName.value !== this.state.firstName) data.firstName = changes.firstName.value;
    if (changes.lastName && changes.lastName.value !== this.state.lastName) data.lastName = changes.lastName.value;
    if (changes.username && changes.username.value !== this.state.username) data.username = changes.username.value;
    if (Object.keys(data).length === 0) return;
    this.state = { ...this.state, ...data, updatedAt: now };
    this.record({ type: UserEventTypes.profileUpdated, version: 1, occurredAt: now, data: { ...data } });
  }

  /** The new hash comes from the API; the event says only that it changed, never the hash. */
  changePassword(passwordHash: string, now: Date): void {
    this.state = { ...this.state, passwordHash, updatedAt: now };
    this.record({ type: UserEventTypes.passwordChanged, version: 1, occurredAt: now, data: {} });
  }

  /**
   * The same password, hashed again with current parameters (login found an old or bcrypt hash),
   * while the stored hash is still the one login verified: a password changed meanwhile wins.
   * Nothing about the user changes, so no event and no new version.
   */
  upgradePasswordHash(previousHash: string, passwordHash: string): void {
    if (this.state.passwordHash !== previousHash) return;
    this.state = { ...this.state, passwordHash };
    this.rehashed = true;
  }

  /** Whether there is anything to store since the user was loaded: an event, or an upgraded hash. */
  get changed(): boolean {
    return this.version !== this.persistedVersion || this.rehashed;
  }

  get passwordHash(): string {
    return this.state.passwordHash;
  }

  /** Idempotent: deactivating a deactivated user changes nothing. */
  deactivate(now: Date): void {
    if (this.state.status === 'deactivated') return;
    this.state = { ...this.state, status: 'deactivated', updatedAt: now };
    this.record({ type: UserEventTypes.deactivated, version: 1, occurredAt: now, data: {} });
  }

  activate(now: Date): void {
    if (this.state.status === 'active') return;
    this.state = { ...this.state, status: 'active', updatedAt: now };
    this.record({ type: UserEventTypes.activated, version: 1, occurredAt: now, data: {} });
  }

  /** Records the erasure; the repository then removes the personal data everywhere it is kept. */
  delete(now: Date): void {
    this.state = { ...this.state, updatedAt: now };
    this.record({ type: UserEventTypes.deleted, version: 1, occurredAt: now, data: {} });
  }
}
