import type { LoginAttempts, LoginStanding } from '../../../src/contexts/auth/application/auth-ports.js';
import {
  DEFAULT_LOCKOUT,
  lockoutSeconds,
  secondsUntil,
  type LockoutPolicy,
} from '../../../src/contexts/auth/domain/login-throttle.js';

/** Failure counts in a Map; the lock is computed by the domain's `lockoutSeconds`, like the SQL adapter. */
export class InMemoryLoginAttempts implements LoginAttempts {
  readonly entries = new Map<string, { failures: number; lockedUntil: Date | null }>();

  constructor(private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT) {}

  async standing(key: string, now: Date): Promise<LoginStanding> {
    const entry = this.entries.get(key);
    return { lockedForSeconds: secondsUntil(entry?.lockedUntil ?? null, now), failures: entry?.failures ?? 0 };
  }

  async recordFailure(key: string, now: Date): Promise<void> {
    const entry = this.entries.get(key) ?? { failures: 0, lockedUntil: null };
    const failures = entry.failures + 1;
    const seconds = lockoutSeconds(failures, this.policy);
    this.entries.set(key, {
      failures,
      lockedUntil: seconds > 0 ? new Date(now.getTime() + seconds * 1000) : entry.lockedUntil,
    });
  }

  async reset(key: string): Promise<void> {
    this.entries.delete(key);
  }

  failures(key: string): number {
    return this.entries.get(key)?.failures ?? 0;
  }
}
