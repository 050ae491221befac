import { describe, expect, it } from 'vitest';
import { RevokeUserSessionsHandler } from '../../../../../src/contexts/auth/application/revoke-user-sessions/revoke-user-sessions.handler.js';
import { SESSION_STARTED_AT, SessionMother } from '../../../../mothers/session.mother.js';
import { authSpec } from '../../../../support/in-memory/auth-fixture.js';

const spec = authSpec((f) => new RevokeUserSessionsHandler(f));

describe('RevokeUserSessionsHandler', () => {
  it('revokes every live session of the user, answers their ids and appends auth.session.revoked for each', async () => {
    const [a, b] = [SessionMother.started({ userId: 'u1' }), SessionMother.started({ userId: 'u1' })];
    const { sessions } = await spec
      .given(a, b)
      .when({ userId: 'u1', reason: 'user_deleted' })
      .then({
        result: [a.id, b.id],
        events: [SessionMother.revokedEvent(a, 'user_deleted'), SessionMother.revokedEvent(b, 'user_deleted')],
      });
    for (const id of [a.id, b.id])
      expect(sessions.stored(id)).toMatchObject({ revokedReason: 'user_deleted', version: 2 });
  });

  it('keeps the session named in exceptSessionId', async () => {
    const [mine, other] = [SessionMother.started({ userId: 'u1' }), SessionMother.started({ userId: 'u1' })];
    const { sessions } = await spec
      .given(mine, other)
      .when({ userId: 'u1', reason: 'password_changed', exceptSessionId: mine.id })
      .then({ result: [other.id], events: [SessionMother.revokedEvent(other, 'password_changed')] });
    expect(sessions.stored(mine.id)?.revokedAt).toBeNull();
  });

  it('leaves other users, and sessions already revoked or expired, alone', async () => {
    const someoneElse = SessionMother.started({ userId: 'u2' });
    const expired = SessionMother.started(
      { userId: 'u1', lifetimeMs: 1_000 },
      new Date(SESSION_STARTED_AT.getTime() - 1_000),
    );
    const revokedBefore = SessionMother.restored({
      userId: 'u1',
      revokedAt: SESSION_STARTED_AT,
      revokedReason: 'logout',
    });
    const { sessions } = await spec
      .given(someoneElse, expired, revokedBefore)
      .when({ userId: 'u1', reason: 'user_deactivated' })
      .then({ result: [], events: [] });
    expect(sessions.stored(someoneElse.id)?.revokedAt).toBeNull();
    expect(sessions.stored(expired.id)?.revokedAt).toBeNull();
    expect(sessions.stored(revokedBefore.id)?.revokedReason).toBe('logout');
  });

  it('revokes nothing when the outbox append fails', async () => {
    const [a, b] = [SessionMother.started({ userId: 'u1' }), SessionMother.started({ userId: 'u1' })];
    const { sessions } = await spec
      .with({ failingOutbox: true })
      .given(a, b)
      .when({ userId: 'u1', reason: 'user_deleted' })
      .thenThrows('outbox unavailable');
    expect([a, b].map((s) => sessions.stored(s.id)?.revokedAt)).toEqual([null, null]);
  });
});
