import type { Clock } from '../../../shared/application/ports/clock.js';
import type { EmailLimits, RateLimiter } from './email-token-ports.js';

const HOUR_SECONDS = 3_600;

/**
 * The budgets of mail-sending requests, per IP and per address (whether an account has it or
 * not). Over budget, the request is answered as any other and simply sends nothing: the answer
 * must not tell a throttled address from an unknown one.
 */
export class EmailThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly limits: EmailLimits,
    private readonly clock: Clock,
  ) {}

  async allows(ip: string, address: string): Promise<boolean> {
    const now = this.clock.now();
    const byIp = await this.limiter.hit(`email:ip:${ip}`, this.limits.perIpPerHour, HOUR_SECONDS, now);
    if (!byIp.allowed) return false;
    const byAddress = await this.limiter.hit(
      `email:address:${address.trim().toLowerCase()}`,
      this.limits.perAddressPerHour,
      HOUR_SECONDS,
      now,
    );
    return byAddress.allowed;
  }
}
