import { describe, expect, it } from 'vitest';
import { LogoutHandler } from '../../../../../src/contexts/auth/application/logout/logout.handler.js';
import type { Session } from '../../../../../src/contexts/auth/domain/session.js';
import { SESSION_STARTED_AT, SessionMother } from '../../../../mothers/session.mother.js';
import { authSpec, type AuthFixture } from '../../../../support/in-memory/auth-fixture.js';
import { CLOCK_START } from '../../../../support/in-memory/fixed-clock.js';

const A_MINUTE_LATER = new Date(CLOCK_START.getTime() + 60_000);

const spec = authSpec((f) => new LogoutHandler(f));
const logout = (session: Session) => ({ sessionId: session.id });
const aMinutePasses = ({ clock }: AuthFixture) => clock.advance(60_000);

describe('LogoutHandler', () => {
  it('revokes the session for logout and appends auth.session.revoked with the reason logout', async () => {
    const session = SessionMother.started({ userId: 'u1' });
    const { sessions } = await spec
      .given(session, aMinutePasses)
      .when(logout(session))
      .then({ result: undefined, events: [SessionMother.revokedEvent(session, 'logout', A_MINUTE_LATER)] });
    expect(sessions.stored(session.id)).toMatchObject({
      revokedAt: A_MINUTE_LATER,
      revokedReason: 'logout',
      version: 2,
    });
  });

  it('does nothing for a session already revoked: no event, no new version', async () => {
    const session = SessionMother.restored({ revokedAt: SESSION_STARTED_AT, revokedReason: 'user_deactivated' });
    const { sessions } = await spec.given(session).when(logout(session)).then({ events: [] });
    expect(sessions.stored(session.id)).toEqual(session.snapshot());
  });

  it('does nothing for an unknown session', async () => {
    await spec.when({ sessionId: SessionMother.id() }).then({ result: undefined, events: [] });
  });

  it('leaves the session active when the outbox append fails', async () => {
    const session = SessionMother.started();
    const failing = spec.with({ failingOutbox: true });
    const { sessions } = await failing.given(session).when(logout(session)).thenThrows('outbox unavailable');
    expect(sessions.stored(session.id)?.revokedAt).toBeNull();
  });
});
