import { describe, expect, it } from 'vitest';
import { AuthEventTypes } from '../../../../../src/contexts/auth/domain/auth-events.js';
import { REUSE_GRACE_MS, Session } from '../../../../../src/contexts/auth/domain/session.js';
import { SESSION_LIFETIME_MS, SESSION_STARTED_AT, SessionMother } from '../../../../mothers/session.mother.js';
import { expectRestoresAsStored } from '../../../../support/aggregate.js';

const T0 = SESSION_STARTED_AT;
const at = (ms: number): Date => new Date(T0.getTime() + ms);

/** A stored session whose current token is `t0`. */
const loaded = (): Session => SessionMother.persisted({ tokenHash: 't0' });

describe('Session', () => {
  describe('start', () => {
    it('starts an active session that expires after its lifetime, at version 1', () => {
      const session = SessionMother.started({ userId: 'u1', roles: ['admin'], tokenHash: 't0', lifetimeMs: 60_000 });
      expect(session.snapshot()).toMatchObject({
        userId: 'u1',
        roles: ['admin'],
        currentTokenHash: 't0',
        previousTokenHash: null,
        rotatedAt: null,
        createdAt: T0,
        expiresAt: at(60_000),
        revokedAt: null,
        revokedReason: null,
        version: 1,
      });
      expect(session.isActive(T0)).toBe(true);
    });

    it('records auth.login.succeeded with the user and session ids', () => {
      const session = SessionMother.started({ userId: 'u1' });
      expect(session.pullEvents()).toEqual([
        {
          type: AuthEventTypes.loginSucceeded,
          version: 1,
          occurredAt: T0,
          aggregateId: session.id,
          aggregateVersion: 1,
          data: { userId: 'u1', sessionId: session.id, amr: ['pwd'] },
        },
      ]);
    });

    it('keeps its own copy of the roles', () => {
      const roles = ['user'];
      const session = SessionMother.started({ roles });
      roles.push('admin');
      expect(session.roles).toEqual(['user']);
    });
  });

  describe('restore and snapshot', () => {
    it('restores a stored session at its stored version, with no events to publish; its snapshots are copies', () => {
      expectRestoresAsStored({ ...SessionMother.started().snapshot(), version: 4 }, Session.restore);
    });

    it('exposes the user, roles and current token digest', () => {
      const session = SessionMother.persisted({ userId: 'u1', roles: ['admin', 'user'], tokenHash: 't0' });
      expect([session.userId, session.roles, session.currentTokenHash]).toEqual(['u1', ['admin', 'user'], 't0']);
    });
  });

  describe('isActive', () => {
    it('is active until the instant it expires', () => {
      const session = SessionMother.persisted();
      expect(session.isActive(at(SESSION_LIFETIME_MS - 1))).toBe(true);
      expect(session.isActive(at(SESSION_LIFETIME_MS))).toBe(false);
    });

    it('is not active once revoked', () => {
      const session = SessionMother.persisted();
      session.revoke('logout', T0);
      expect(session.isActive(T0)).toBe(false);
    });
  });

  describe('rotate', () => {
    it('replaces the current token, keeps it as the previous one and records no event', () => {
      const session = loaded();
      expect(session.rotate('t0', 't1', at(1_000))).toBe('rotated');
      expect(session.snapshot()).toMatchObject({
        currentTokenHash: 't1',
        previousTokenHash: 't0',
        rotatedAt: at(1_000),
        revokedAt: null,
      });
      expect(session.pullEvents()).toEqual([]);
    });

    it('rotates again and again with each new current token', () => {
      const session = loaded();
      session.rotate('t0', 't1', at(1_000));
      expect(session.rotate('t1', 't2', at(2_000))).toBe('rotated');
      expect(session.snapshot()).toMatchObject({
        currentTokenHash: 't2',
        previousTokenHash: 't1',
        rotatedAt: at(2_000),
      });
    });

    it('accepts the token just replaced within the grace period as a retry', () => {
      const session = loaded();
      session.rotate('t0', 't1', at(1_000));
      expect(session.rotate('t0', 't2', at(1_000 + REUSE_GRACE_MS))).toBe('rotated');
      expect(session.snapshot()).toMatchObject({ currentTokenHash: 't2', previousTokenHash: 't0', revokedAt: null });
      expect(session.pullEvents()).toEqual([]);
    });

    it('a grace retry does not extend the grace', () => {
      const session = loaded();
      session.rotate('t0', 't1', at(0));
      expect(session.rotate('t0', 't2', at(REUSE_GRACE_MS - 1_000))).toBe('rotated');
      expect(session.snapshot().rotatedAt).toEqual(at(0));
      // Still within 10 s of the last retry, but not of the rotation that replaced t0.
      expect(session.rotate('t0', 't3', at(REUSE_GRACE_MS + 1))).toBe('reused');
    });

    it('treats the token just replaced as reuse once the grace period is over', () => {
      const session = loaded();
      session.rotate('t0', 't1', at(0));
      expect(session.rotate('t0', 't2', at(REUSE_GRACE_MS + 1))).toBe('reused');
      expect(session.snapshot()).toMatchObject({
        currentTokenHash: 't1',
        revokedAt: at(REUSE_GRACE_MS + 1),
        revokedReason: 'refresh_token_reused',
      });
    });

    it('treats a token older than the previous one as reuse, even within the grace period', () => {
      const session = loaded();
      session.rotate('t0', 't1', at(0));
      session.rotate('t1', 't2', at(1_000));
      expect(session.rotate('t0', 't3', at(2_000))).toBe('reused');
      expect(session.isActive(at(2_000))).toBe(false);
    });

    it('treats the token a grace retry superseded as reuse', () => {
      const session = loaded();
      session.rotate('t0', 't1', at(0));
      session.rotate('t0', 't2', at(1_000));
      expect(session.rotate('t1', 't3', at(2_000))).toBe('reused');
    });

    it('revokes the whole session on reuse, recording auth.refresh_token.reused then auth.session.revoked', () => {
      const session = SessionMother.persisted({ userId: 'u1', tokenHash: 't0' });
      session.rotate('t0', 't1', at(0));
      session.rotate('t1', 't2', at(1_000));
      session.rotate('t0', 't3', at(2_000));
      const data = { userId: 'u1', sessionId: session.id, reason: 'refresh_token_reused' };
      expect(session.pullEvents()).toEqual([
        {
          type: AuthEventTypes.refreshTokenReused,
          version: 1,
          occurredAt: at(2_000),
          aggregateId: session.id,
          aggregateVersion: 2,
          data,
        },
        {
          type: AuthEventTypes.sessionRevoked,
          version: 1,
          occurredAt: at(2_000),
          aggregateId: session.id,
          aggregateVersion: 3,
          data,
        },
      ]);
    });

    it('after reuse even the current token no longer works', () => {
      const session = loaded();
      session.rotate('t0', 't1', at(0));
      session.rotate('t1', 't2', at(1_000));
      session.rotate('t0', 't3', at(2_000));
      expect(session.rotate('t2', 't4', at(3_000))).toBe('invalid');
    });

    it('is invalid on an expired session and changes nothing', () => {
      const session = loaded();
      const before = session.snapshot();
      expect(session.rotate('t0', 't1', at(SESSION_LIFETIME_MS))).toBe('invalid');
      expect(session.snapshot()).toEqual(before);
      expect(session.pullEvents()).toEqual([]);
    });

    it('is invalid on a revoked session, for any token, and records nothing more', () => {
      const session = loaded();
      session.revoke('logout', T0);
      session.pullEvents();
      expect(session.rotate('t0', 't1', at(1_000))).toBe('invalid');
      expect(session.rotate('older', 't1', at(1_000))).toBe('invalid');
      expect(session.pullEvents()).toEqual([]);
      expect(session.snapshot()).toMatchObject({ currentTokenHash: 't0', revokedReason: 'logout' });
    });
  });

  describe('revoke', () => {
    it('records only auth.session.revoked with the reason', () => {
      const session = SessionMother.persisted({ userId: 'u1' });
      session.revoke('logout', at(5_000));
      expect(session.snapshot()).toMatchObject({ revokedAt: at(5_000), revokedReason: 'logout', version: 2 });
      expect(session.pullEvents()).toEqual([
        {
          type: AuthEventTypes.sessionRevoked,
          version: 1,
          occurredAt: at(5_000),
          aggregateId: session.id,
          aggregateVersion: 2,
          data: { userId: 'u1', sessionId: session.id, reason: 'logout' },
        },
      ]);
    });

    it.each(['password_changed', 'user_deactivated', 'user_deleted'] as const)(
      'records only auth.session.revoked for %s',
      (reason) => {
        const session = SessionMother.persisted();
        session.revoke(reason, T0);
        expect(session.pullEvents().map((e) => [e.type, e.data.reason])).toEqual([
          [AuthEventTypes.sessionRevoked, reason],
        ]);
      },
    );

    it('records auth.refresh_token.reused before auth.session.revoked when the reason is reuse', () => {
      const session = SessionMother.persisted();
      session.revoke('refresh_token_reused', T0);
      expect(session.pullEvents().map((e) => e.type)).toEqual([
        AuthEventTypes.refreshTokenReused,
        AuthEventTypes.sessionRevoked,
      ]);
    });

    it('is idempotent: a second revoke changes nothing and records nothing', () => {
      const session = SessionMother.persisted();
      session.revoke('logout', at(1_000));
      session.pullEvents();
      session.revoke('refresh_token_reused', at(2_000));
      expect(session.pullEvents()).toEqual([]);
      expect(session.snapshot()).toMatchObject({ revokedAt: at(1_000), revokedReason: 'logout', version: 2 });
    });
  });
});

describe('Session, as a session list shows it', () => {
  it('keeps the client it was started from, its User-Agent cut to 512 characters, and no second factor', () => {
    const session = Session.start(
      {
        id: SessionMother.id(),
        userId: 'u1',
        roles: ['user'],
        tokenHash: 't0',
        lifetimeMs: 60_000,
        client: { userAgent: 'x'.repeat(600), ip: '203.0.113.7' },
      },
      T0,
    );
    expect(session.summary).toEqual({
      id: session.id,
      createdAt: T0,
      lastUsedAt: T0,
      userAgent: 'x'.repeat(512),
      ip: '203.0.113.7',
      mfa: false,
    });
  });

  it('is last used at its latest refresh, a grace retry included', () => {
    const session = loaded();
    session.rotate('t0', 't1', at(1_000));
    expect(session.summary.lastUsedAt).toEqual(at(1_000));
    session.rotate('t0', 't2', at(2_000));
    expect(session.summary.lastUsedAt).toEqual(at(2_000));
  });

  it('records who ended it, when someone did', () => {
    const session = loaded();
    session.revoke('ended_by_admin', at(5), 'admin-1');
    expect(session.pullEvents().at(-1)?.data).toEqual({
      userId: session.userId,
      sessionId: session.id,
      reason: 'ended_by_admin',
      endedBy: 'admin-1',
    });
  });
});
