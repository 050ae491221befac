import { describe, expect, it } from 'vitest';
import { call, median, suiteService } from './support.js';

/**
 * An attacker must not learn which emails have accounts from how long a failed login takes:
 * unknown emails are verified against a dummy hash of the same cost.
 */
describe('auth: login timing does not reveal accounts', () => {
  const service = suiteService({ LOCKOUT_THRESHOLD: '1000', RATE_LIMIT_LOGIN_PER_IP: '100000' }, ['timed']);

  it('answers unknown email and wrong password within 25 % of each other (median of 50 each)', async () => {
    const unknown: number[] = [];
    const wrong: number[] = [];
    const timeOne = async (email: string) => {
      const started = performance.now();
      const response = await call(service(), 'POST', '/api/v1/auth/login', { email, password: 'definitely-not-it-42' });
      expect(response.status).toBe(401);
      return performance.now() - started;
    };
    // Interleaved, so drift in machine load hits both series alike. A small pool of unknown emails:
    // after its first round each is, like the known account, a repeat failure.
    for (let i = 0; i < 50; i += 1) {
      unknown.push(await timeOne(`ghost${i % 5}@example.com`));
      wrong.push(await timeOne('persontimed@example.com'));
    }
    const [a, b] = [median(unknown), median(wrong)];
    console.log(`login timing: unknown email median ${a.toFixed(1)} ms, wrong password median ${b.toFixed(1)} ms`);
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThan(0.25);
  });
});
