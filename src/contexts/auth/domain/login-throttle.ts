/** Per-account lockout: after `threshold` failures, each further failure doubles the wait. */
export interface LockoutPolicy {
  readonly threshold: number;
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { threshold: 5, baseSeconds: 30, maxSeconds: 3_600 };

/** How long the account is locked after its `failures`-th consecutive failure (0 = not locked). */
export function lockoutSeconds(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.threshold) return 0;
  return Math.min(policy.baseSeconds * 2 ** (failures - policy.threshold), policy.maxSeconds);
}

/** Whole seconds left of a lock (rounded up, so a `Retry-After` never invites a retry too early); 0 when none. */
export function secondsUntil(lockedUntil: Date | string | null, now: Date): number {
  if (!lockedUntil) return 0;
  return Math.max(0, Math.ceil((new Date(lockedUntil).getTime() - now.getTime()) / 1000));
}
