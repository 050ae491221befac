import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCKOUT, lockoutSeconds, secondsUntil } from '../../../../../src/contexts/auth/domain/login-throttle.js';

describe('lockoutSeconds', () => {
  it('does not lock below the threshold', () => {
    expect([0, 1, 2, 3, 4].map((n) => lockoutSeconds(n, DEFAULT_LOCKOUT))).toEqual([0, 0, 0, 0, 0]);
  });

  it('locks for the base time at the threshold, then doubles with each failure', () => {
    expect([5, 6, 7, 8].map((n) => lockoutSeconds(n, DEFAULT_LOCKOUT))).toEqual([30, 60, 120, 240]);
  });

  it('never locks for longer than the maximum', () => {
    expect(lockoutSeconds(12, DEFAULT_LOCKOUT)).toBe(3_600); // 30·2^7 = 3 840
    expect(lockoutSeconds(10_000, DEFAULT_LOCKOUT)).toBe(3_600); // 2^9995 is Infinity
  });

  it('follows the policy it is given', () => {
    const policy = { threshold: 2, baseSeconds: 1, maxSeconds: 5 };
    expect([1, 2, 3, 4, 5].map((n) => lockoutSeconds(n, policy))).toEqual([0, 1, 2, 4, 5]);
  });

  it('defaults to 5 failures, 30 s, at most 1 h', () => {
    expect(DEFAULT_LOCKOUT).toEqual({ threshold: 5, baseSeconds: 30, maxSeconds: 3_600 });
  });

  it('never shrinks as failures grow, and stays within [0, max]', () => {
    fc.assert(
      fc.property(fc.nat(200), (failures) => {
        const now = lockoutSeconds(failures, DEFAULT_LOCKOUT);
        const next = lockoutSeconds(failures + 1, DEFAULT_LOCKOUT);
        return now >= 0 && now <= DEFAULT_LOCKOUT.maxSeconds && next >= now;
      }),
    );
  });
});

describe('secondsUntil', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');

  it('is 0 with no lock and for a lock that has passed', () => {
    expect(secondsUntil(null, now)).toBe(0);
    expect(secondsUntil(new Date(now.getTime() - 1), now)).toBe(0);
  });

  it('rounds a part second up, from a Date or the text a driver returns', () => {
    expect(secondsUntil(new Date(now.getTime() + 1), now)).toBe(1);
    expect(secondsUntil(new Date(now.getTime() + 30_000), now)).toBe(30);
    expect(secondsUntil('2026-03-01T12:00:29.500Z', now)).toBe(30);
  });
});
