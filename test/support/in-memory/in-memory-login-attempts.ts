import type { LoginAttempts } from '../../../src/contexts/auth/application/auth-ports.js';
import {
  DEFAULT_LOCKOUT,
  lockoutSeconds,
  type LockoutPolicy,
} from '../../../src/contexts/auth/domain/login-throttle.js';

/** Failure counts in a Map; the lock is computed by the domain's `lockoutSeconds`, like the SQL adapter. */
export class InMemoryLoginAttempts implements LoginAttempts {
  readonly entries = new Map<string, { failures: number; lockedUntil: Date | null }>();

  constructor(private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT) {}

  async lockedForSeconds(key: string, now: Date): Promise<number> {
    const until = this.entries.get(key)?.lockedUntil;
    if (!until) return 0;
    return Math.max(0, Math.ceil((until.getTime() - now.getTime()) / 1000));
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
