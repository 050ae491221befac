/** Counts hits per key in fixed windows: per-IP limits on login and sign-up. */
export interface RateLimiter {
  /** Counts one hit; says whether it is within `limit` per `windowSeconds`, and if not for how long. */
  hit(
    key: string,
    limit: number,
    windowSeconds: number,
    now: Date,
  ): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}
