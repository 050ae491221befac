import { describe, expect, it } from 'vitest';
import { RevokeUserSessionsHandler } from '../../../../../src/contexts/auth/application/revoke-user-sessions/revoke-user-sessions.handler.js';
import { AuthEventTypes } from '../../../../../src/contexts/auth/domain/auth-events.js';
import { SESSION_STARTED_AT, SessionMother } from '../../../../mothers/session.mother.js';
import { authFixture } from '../../../../support/in-memory/auth-fixture.js';

function setup(options: { failingOutbox?: boolean } = {}) {
  const fixture = authFixture(options);
  return { ...fixture, handler: new RevokeUserSessionsHandler(fixture) };
}

describe('RevokeUserSessionsHandler', () => {
  it('revokes every live session of the user and answers their ids', async () => {
    const { handler, seedSession, sessions } = setup();
    const a = await seedSession(SessionMother.started({ userId: 'u1' }));
    const b = await seedSession(SessionMother.started({ userId: 'u1' }));
    const revoked = await handler.handle({ userId: 'u1', reason: 'user_deactivated' });
    expect(revoked.sort()).toEqual([a.id, b.id].sort());
    for (const id of revoked) {
      expect(sessions.stored(id)).toMatchObject({ revokedReason: 'user_deactivated', version: 2 });
    }
  });

  it('appends auth.session.revoked with the reason for each session', async () => {
    const { handler, seedSession, outbox, clock } = setup();
    const session = await seedSession(SessionMother.started({ userId: 'u1' }));
    await handler.handle({ userId: 'u1', reason: 'user_deleted' });
    expect(outbox.events).toEqual([
      {
        type: AuthEventTypes.sessionRevoked,
        version: 1,
        occurredAt: clock.now(),
        aggregateId: session.id,
        aggregateVersion: 2,
        data: { userId: 'u1', sessionId: session.id, reason: 'user_deleted' },
      },
    ]);
  });

  it('keeps the session named in exceptSessionId', async () => {
    const { handler, seedSession, sessions, outbox, clock } = setup();
    const mine = await seedSession(SessionMother.started({ userId: 'u1' }));
    const other = await seedSession(SessionMother.started({ userId: 'u1' }));
    await expect(
      handler.handle({ userId: 'u1', reason: 'password_changed', exceptSessionId: mine.id }),
    ).resolves.toEqual([other.id]);
    expect((await sessions.findById(mine.id))?.isActive(clock.now())).toBe(true);
    expect(outbox.events.map((e) => e.aggregateId)).toEqual([other.id]);
  });

  it('leaves other users, and sessions already revoked or expired, alone', async () => {
    const { handler, seedSession, sessions, outbox } = setup();
    const someoneElse = await seedSession(SessionMother.started({ userId: 'u2' }));
    const expired = await seedSession(
      SessionMother.started({ userId: 'u1', lifetimeMs: 1_000 }, new Date(SESSION_STARTED_AT.getTime() - 1_000)),
    );
    const revokedBefore = SessionMother.restored({
      userId: 'u1',
      revokedAt: SESSION_STARTED_AT,
      revokedReason: 'logout',
    });
    await sessions.insert(revokedBefore);
    await expect(handler.handle({ userId: 'u1', reason: 'user_deactivated' })).resolves.toEqual([]);
    expect(outbox.events).toEqual([]);
    expect(sessions.stored(someoneElse.id)?.revokedAt).toBeNull();
    expect(sessions.stored(expired.id)?.revokedAt).toBeNull();
    expect(sessions.stored(revokedBefore.id)?.revokedReason).toBe('logout');
  });

  it('revokes nothing when the outbox append fails', async () => {
    const { handler, seedSession, sessions } = setup({ failingOutbox: true });
    const a = await seedSession(SessionMother.started({ userId: 'u1' }));
    const b = await seedSession(SessionMother.started({ userId: 'u1' }));
    await expect(handler.handle({ userId: 'u1', reason: 'user_deleted' })).rejects.toThrow('outbox unavailable');
    expect([sessions.stored(a.id)?.revokedAt, sessions.stored(b.id)?.revokedAt]).toEqual([null, null]);
  });
});
