import type { RateLimiter } from '../../../src/shared/application/ports/rate-limiter.js';

/** Fixed-window counters in a Map, with the same windows and Retry-After as the SQL adapter. */
export class InMemoryRateLimiter implements RateLimiter {
  readonly hits = new Map<string, number>();

  async hit(key: string, limit: number, windowSeconds: number, now: Date) {
    const windowMs = windowSeconds * 1000;
    const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
    const slot = `${key}@${windowStart}`;
    const count = (this.hits.get(slot) ?? 0) + 1;
    this.hits.set(slot, count);
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + windowMs - now.getTime()) / 1000));
    return { allowed: count <= limit, retryAfterSeconds };
  }
}
