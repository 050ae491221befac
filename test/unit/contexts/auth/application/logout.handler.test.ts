import { describe, expect, it } from 'vitest';
import { LogoutHandler } from '../../../../../src/contexts/auth/application/logout/logout.handler.js';
import { AuthEventTypes } from '../../../../../src/contexts/auth/domain/auth-events.js';
import { SessionMother } from '../../../../mothers/session.mother.js';
import { authFixture } from '../../../../support/in-memory/auth-fixture.js';

function setup(options: { failingOutbox?: boolean } = {}) {
  const fixture = authFixture(options);
  return { ...fixture, handler: new LogoutHandler(fixture) };
}

describe('LogoutHandler', () => {
  it('revokes the session for logout', async () => {
    const { handler, seedSession, sessions, clock } = setup();
    const session = await seedSession(SessionMother.started());
    clock.advance(60_000);
    await handler.handle({ sessionId: session.id });
    expect(sessions.stored(session.id)).toMatchObject({ revokedAt: clock.now(), revokedReason: 'logout', version: 2 });
  });

  it('appends auth.session.revoked with the reason logout', async () => {
    const { handler, seedSession, outbox, clock } = setup();
    const session = await seedSession(SessionMother.started({ userId: 'u1' }));
    await handler.handle({ sessionId: session.id });
    expect(outbox.events).toEqual([
      {
        type: AuthEventTypes.sessionRevoked,
        version: 1,
        occurredAt: clock.now(),
        aggregateId: session.id,
        aggregateVersion: 2,
        data: { userId: 'u1', sessionId: session.id, reason: 'logout' },
      },
    ]);
  });

  it('does nothing for a session already revoked: no event, no new version', async () => {
    const { handler, seedSession, sessions, outbox, clock } = setup();
    const session = await seedSession(SessionMother.started());
    await handler.handle({ sessionId: session.id });
    const revoked = sessions.stored(session.id);
    clock.advance(60_000);
    await handler.handle({ sessionId: session.id });
    expect(sessions.stored(session.id)).toEqual(revoked);
    expect(outbox.events).toHaveLength(1);
  });

  it('does nothing for an unknown session', async () => {
    const { handler, outbox } = setup();
    await expect(handler.handle({ sessionId: SessionMother.id() })).resolves.toBeUndefined();
    expect(outbox.events).toEqual([]);
  });

  it('leaves the session active when the outbox append fails', async () => {
    const { handler, seedSession, sessions, clock } = setup({ failingOutbox: true });
    const session = await seedSession(SessionMother.started());
    await expect(handler.handle({ sessionId: session.id })).rejects.toThrow('outbox unavailable');
    expect((await sessions.findById(session.id))?.isActive(clock.now())).toBe(true);
  });
});
