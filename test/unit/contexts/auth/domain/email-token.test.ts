import { describe, expect, it } from 'vitest';
import {
  EMAIL_TOKEN_LIFETIME_MS,
  EmailToken,
  TokenInvalidError,
} from '../../../../../src/contexts/auth/domain/email-token.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const issue = (kind: 'email_verification' | 'password_reset' | 'email_change' = 'email_verification') =>
  EmailToken.issue({ id: 't1', userId: 'u1', kind, tokenHash: 'h1' }, NOW);

describe('EmailToken', () => {
  it('lives 24 h for a verification, 30 min for a reset, 1 h for a change of address', () => {
    expect(issue('email_verification').expiresAt).toEqual(later(24 * 3_600_000));
    expect(issue('password_reset').expiresAt).toEqual(later(30 * 60_000));
    expect(issue('email_change').expiresAt).toEqual(later(3_600_000));
  });

  it('works until the last millisecond of its life, not at its end', () => {
    const lifetime = EMAIL_TOKEN_LIFETIME_MS.password_reset;
    expect(() => issue('password_reset').consume('password_reset', later(lifetime - 1))).not.toThrow();
    expect(() => issue('password_reset').consume('password_reset', later(lifetime))).toThrow(TokenInvalidError);
  });

  it('works once', () => {
    const token = issue();
    token.consume('email_verification', NOW);
    expect(token.snapshot().usedAt).toEqual(NOW);
    expect(token.isUsable(NOW)).toBe(false);
    expect(() => token.consume('email_verification', NOW)).toThrow(TokenInvalidError);
  });

  it('works for its own kind only: a verification token resets no password', () => {
    expect(() => issue('email_verification').consume('password_reset', NOW)).toThrow(TokenInvalidError);
  });

  it('does not work once voided (a newer one, a reset, a change of address)', () => {
    const voided = EmailToken.restore({ ...issue().snapshot(), voidedAt: NOW });
    expect(() => voided.consume('email_verification', NOW)).toThrow(TokenInvalidError);
  });

  it('keeps the address a change goes to, and answers one error code whatever the reason', () => {
    const change = EmailToken.issue(
      { id: 't', userId: 'u', kind: 'email_change', tokenHash: 'h', newEmail: 'n@example.com' },
      NOW,
    );
    expect(change.newEmail).toBe('n@example.com');
    expect(issue().newEmail).toBeNull();
    expect(new TokenInvalidError().code).toBe('token_invalid');
  });
});
