import { describe, expect, it } from 'vitest';
import { newUserBody } from '../support/test-service.js';
import { call, codeOf, suiteService } from './support.js';

describe('auth: lockout per email and rate limits per IP', () => {
  const service = suiteService({ LOCKOUT_THRESHOLD: '3', RATE_LIMIT_REGISTER_PER_IP: '3' }, ['brute']);

  const attempt = (email: string, password: string) =>
    call(service(), 'POST', '/api/v1/auth/login', { email, password });

  it.each([
    ['an existing account', 'personbrute@example.com'],
    ['an email no account has', 'nobody-here@example.com'],
  ])('locks %s after the threshold, with Retry-After, the same way', async (_label, email) => {
    for (let i = 0; i < 3; i += 1) {
      const failed = await attempt(email, `wrong-password-${i}-xxxx`);
      expect(failed.status).toBe(401);
      expect(await codeOf(failed)).toBe('invalid_credentials');
    }
    const locked = await attempt(email, 'whatever-it-is-123');
    expect(locked.status).toBe(429);
    expect(await codeOf(locked)).toBe('rate_limited');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);
  });

  it('keeps the right password out while locked (no oracle during the lock)', async () => {
    const response = await attempt('personbrute@example.com', 'compiler-pioneer-1952');
    expect(response.status).toBe(429);
  });

  it('limits sign-ups per IP per hour', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await call(service(), 'POST', '/api/v1/auth/register', newUserBody(`flood${i}`))).status);
    }
    // One sign-up happened in beforeAll: the limit of 3 leaves two more.
    expect(statuses.slice(0, 2)).toEqual([202, 202]);
    expect(statuses.slice(2)).toEqual([429, 429]);
  });
});

describe('auth: login rate limit per IP', () => {
  const service = suiteService({ RATE_LIMIT_LOGIN_PER_IP: '4', LOCKOUT_THRESHOLD: '100' });

  it('answers 429 with Retry-After once an address exceeds its logins per minute', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i += 1) {
      const response = await call(service(), 'POST', '/api/v1/auth/login', {
        email: `x${i}@example.com`,
        password: 'irrelevant-password',
      });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    // The admin's own login in start-up used one of the four.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
