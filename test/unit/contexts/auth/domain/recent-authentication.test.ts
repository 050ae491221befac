import { describe, expect, it } from 'vitest';
import {
  isRecentAuthentication,
  RECENT_AUTHENTICATION_MS,
} from '../../../../../src/contexts/auth/domain/recent-authentication.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('recent authentication (API.md: "recent" is an auth_time under 5 minutes old)', () => {
  it('is recent just after the sign-in and up to just under 5 minutes', () => {
    expect(RECENT_AUTHENTICATION_MS).toBe(300_000);
    expect(isRecentAuthentication(ago(0), NOW)).toBe(true);
    expect(isRecentAuthentication(ago(299_999), NOW)).toBe(true);
  });

  it('is not recent at 5 minutes or later', () => {
    expect(isRecentAuthentication(ago(300_000), NOW)).toBe(false);
    expect(isRecentAuthentication(ago(3_600_000), NOW)).toBe(false);
  });

  it('is not recent when the token does not say when the user signed in', () => {
    expect(isRecentAuthentication(null, NOW)).toBe(false);
  });

  it('takes another maximum age', () => {
    expect(isRecentAuthentication(ago(90_000), NOW, 60_000)).toBe(false);
  });
});
