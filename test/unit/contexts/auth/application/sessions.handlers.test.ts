import { describe, expect, it } from 'vitest';
import { EndSessionHandler } from '../../../../../src/contexts/auth/application/end-session/end-session.handler.js';
import { ListSessionsHandler } from '../../../../../src/contexts/auth/application/list-sessions/list-sessions.handler.js';
import { RevokeUserSessionsHandler } from '../../../../../src/contexts/auth/application/revoke-user-sessions/revoke-user-sessions.handler.js';
import { SESSION_STARTED_AT, SessionMother } from '../../../../mothers/session.mother.js';
import { authFixture, authSpec } from '../../../../support/in-memory/auth-fixture.js';
import { CLOCK_START } from '../../../../support/in-memory/fixed-clock.js';

describe('ListSessionsHandler', () => {
  it("lists the user's live sessions, most recently used first, marking the caller's own", async () => {
    const f = authFixture();
    const older = await f.seedSession(
      SessionMother.started({ userId: 'u1' }, new Date(CLOCK_START.getTime() - 60_000)),
    );
    const newer = await f.seedSession(SessionMother.started({ userId: 'u1' }));
    await f.seedSession(SessionMother.started({ userId: 'someone-else' }));
    await f.seedSession(
      SessionMother.restored({ userId: 'u1', revokedAt: SESSION_STARTED_AT, revokedReason: 'logout' }),
    );

    const items = await new ListSessionsHandler({ reader: f.sessions, clock: f.clock }).handle({
      userId: 'u1',
      currentSessionId: older.id,
    });

    expect(items.map((i) => [i.id, i.current])).toEqual([
      [newer.id, false],
      [older.id, true],
    ]);
    expect(Object.keys(items[0]!).sort()).toEqual([
      'createdAt',
      'current',
      'id',
      'ip',
      'lastUsedAt',
      'mfa',
      'userAgent',
    ]);
  });

  it('marks none current when an admin lists them', async () => {
    const f = authFixture();
    await f.seedSession(SessionMother.started({ userId: 'u1' }));
    const items = await new ListSessionsHandler({ reader: f.sessions, clock: f.clock }).handle({ userId: 'u1' });
    expect(items.map((i) => i.current)).toEqual([false]);
  });
});

describe('EndSessionHandler', () => {
  const spec = authSpec((f) => new EndSessionHandler(f));

  it("ends one of the caller's sessions: auth.session.revoked, reason ended_by_user, by the caller", async () => {
    const session = SessionMother.started({ userId: 'u1' });
    const { sessions } = await spec
      .given(session)
      .when({ userId: 'u1', sessionId: session.id })
      .then({ result: undefined, events: [SessionMother.revokedEvent(session, 'ended_by_user', CLOCK_START, 'u1')] });
    expect(sessions.stored(session.id)?.revokedReason).toBe('ended_by_user');
  });

  it("reports another user's session, an ended one and an unknown one alike as not found", async () => {
    const theirs = SessionMother.started({ userId: 'u2' });
    const ended = SessionMother.restored({ userId: 'u1', revokedAt: SESSION_STARTED_AT, revokedReason: 'logout' });
    await spec.given(theirs).when({ userId: 'u1', sessionId: theirs.id }).thenThrows({ code: 'not_found' });
    await spec.given(ended).when({ userId: 'u1', sessionId: ended.id }).thenThrows({ code: 'not_found' });
    await spec.when({ userId: 'u1', sessionId: SessionMother.id() }).thenThrows({ code: 'not_found' });
  });
});

describe('RevokeUserSessionsHandler for "end all others" and an admin', () => {
  const spec = authSpec((f) => new RevokeUserSessionsHandler(f));

  it('keeps the asking session and records who ended the others', async () => {
    const mine = SessionMother.started({ userId: 'u1' });
    const other = SessionMother.started({ userId: 'u1' });
    await spec
      .given(mine, other)
      .when({ userId: 'u1', reason: 'ended_by_user', exceptSessionId: mine.id, endedBy: 'u1' })
      .then({
        result: [other.id],
        events: [SessionMother.revokedEvent(other, 'ended_by_user', CLOCK_START, 'u1')],
      });
  });

  it('ends every session of the user when an admin asks', async () => {
    const a = SessionMother.started({ userId: 'u1' });
    const b = SessionMother.started({ userId: 'u1' });
    await spec
      .given(a, b)
      .when({ userId: 'u1', reason: 'ended_by_admin', endedBy: 'admin-1' })
      .then({
        result: [a.id, b.id],
        events: [
          SessionMother.revokedEvent(a, 'ended_by_admin', CLOCK_START, 'admin-1'),
          SessionMother.revokedEvent(b, 'ended_by_admin', CLOCK_START, 'admin-1'),
        ],
      });
  });
});
