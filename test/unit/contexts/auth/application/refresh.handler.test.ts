import { describe, expect, it } from 'vitest';
import { RefreshHandler } from '../../../../../src/contexts/auth/application/refresh/refresh.handler.js';
import { AuthEventTypes } from '../../../../../src/contexts/auth/domain/auth-events.js';
import { REUSE_GRACE_MS } from '../../../../../src/contexts/auth/domain/session.js';
import type { DomainEvent } from '../../../../../src/shared/domain/domain-event.js';
import { SESSION_LIFETIME_MS, SessionMother } from '../../../../mothers/session.mother.js';
import { authFixture } from '../../../../support/in-memory/auth-fixture.js';
import { FakeAccessTokens } from '../../../../support/in-memory/fake-tokens.js';
import { InMemoryAuthUnitOfWork } from '../../../../support/in-memory/in-memory-auth-unit-of-work.js';
import { InMemoryEventOutbox } from '../../../../support/in-memory/in-memory-users-unit-of-work.js';

/** Takes an empty append (a plain rotation) but fails on real events. */
class EventsRefusingOutbox extends InMemoryEventOutbox {
  override async append(events: readonly DomainEvent[]): Promise<void> {
    if (events.length > 0) throw new Error('outbox unavailable');
  }
}

/** A handler and a stored session whose current refresh token is `token`. */
async function setup(options: { failingOutbox?: boolean } = {}) {
  const fixture = authFixture(options);
  const handler = new RefreshHandler(fixture);
  const { token, hash } = fixture.refreshTokens.issue();
  const session = await fixture.seedSession(
    SessionMother.started({ userId: 'u1', roles: ['user'], tokenHash: hash }, fixture.clock.now()),
  );
  return { ...fixture, handler, token, sessionId: session.id };
}

describe('RefreshHandler', () => {
  it('rotates the token and answers a new pair for the session', async () => {
    const { handler, token, sessionId, clock } = await setup();
    clock.advance(3_600_000);
    await expect(handler.handle({ refreshToken: token })).resolves.toEqual({
      accessToken: FakeAccessTokens.tokenFor({ userId: 'u1', sessionId, roles: ['user'] }),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: 'refresh-2',
      refreshExpiresIn: (SESSION_LIFETIME_MS - 3_600_000) / 1000,
    });
  });

  it('keeps the sign-in time and methods of the session in the new access token (auth_time, amr)', async () => {
    const { handler, token, sessionId, clock, accessTokens } = await setup();
    const signedInAt = clock.now();
    clock.advance(3_600_000);
    await handler.handle({ refreshToken: token });
    expect(accessTokens.issued).toEqual([
      { userId: 'u1', sessionId, roles: ['user'], amr: ['pwd'], authTime: signedInAt },
    ]);
  });

  it('stores the digest of the new token as current and the presented one as previous', async () => {
    const { handler, token, sessionId, sessions, refreshTokens, clock } = await setup();
    const { refreshToken } = await handler.handle({ refreshToken: token });
    expect(sessions.stored(sessionId)).toMatchObject({
      currentTokenHash: refreshTokens.digest(refreshToken),
      previousTokenHash: refreshTokens.digest(token),
      rotatedAt: clock.now(),
      revokedAt: null,
    });
    expect((await sessions.findByTokenHash(refreshTokens.digest(refreshToken)))?.id).toBe(sessionId);
  });

  it('records no event for a rotation', async () => {
    const { handler, token, outbox } = await setup();
    await handler.handle({ refreshToken: token });
    expect(outbox.events).toEqual([]);
  });

  it('rotates along the chain: each new token works once', async () => {
    const { handler, token, clock } = await setup();
    const second = await handler.handle({ refreshToken: token });
    clock.advance(60_000);
    const third = await handler.handle({ refreshToken: second.refreshToken });
    expect(third.refreshToken).toBe('refresh-3');
  });

  it('rounds the remaining lifetime down to whole seconds', async () => {
    const { handler, token, clock } = await setup();
    clock.advance(1_500);
    await expect(handler.handle({ refreshToken: token })).resolves.toMatchObject({
      refreshExpiresIn: Math.floor((SESSION_LIFETIME_MS - 1_500) / 1000),
    });
  });

  it('refuses a token no session issued with refresh_token_invalid', async () => {
    const { handler, outbox } = await setup();
    await expect(handler.handle({ refreshToken: 'forged' })).rejects.toMatchObject({ code: 'refresh_token_invalid' });
    expect(outbox.events).toEqual([]);
  });

  it('accepts the token just replaced again within the grace period (a lost response)', async () => {
    const { handler, token, clock, sessions, sessionId, outbox } = await setup();
    await handler.handle({ refreshToken: token });
    clock.advance(REUSE_GRACE_MS);
    const retry = await handler.handle({ refreshToken: token });
    expect(retry.refreshToken).toBe('refresh-3');
    await expect(handler.handle({ refreshToken: retry.refreshToken })).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(sessions.stored(sessionId)?.revokedAt).toBeNull();
    expect(outbox.events).toEqual([]);
  });

  describe('reuse', () => {
    async function reused() {
      const fixture = await setup();
      const second = await fixture.handler.handle({ refreshToken: fixture.token });
      fixture.clock.advance(REUSE_GRACE_MS + 1);
      const error = await fixture.handler.handle({ refreshToken: fixture.token }).catch((e: unknown) => e);
      return { ...fixture, second, error };
    }

    it('answers refresh_token_reused naming the revoked session', async () => {
      const { error, sessionId } = await reused();
      expect(error).toMatchObject({ code: 'refresh_token_reused', revokedSessionId: sessionId });
    });

    it('commits the revocation although the request fails', async () => {
      const { sessions, sessionId, clock, uow } = await reused();
      expect(sessions.stored(sessionId)).toMatchObject({
        revokedAt: clock.now(),
        revokedReason: 'refresh_token_reused',
      });
      expect(uow.rollbacks).toBe(0);
    });

    it('appends auth.refresh_token.reused and auth.session.revoked', async () => {
      const { outbox, sessionId, clock } = await reused();
      const data = { userId: 'u1', sessionId, reason: 'refresh_token_reused' };
      expect(outbox.events).toEqual([
        {
          type: AuthEventTypes.refreshTokenReused,
          version: 1,
          occurredAt: clock.now(),
          aggregateId: sessionId,
          aggregateVersion: 2,
          data,
        },
        {
          type: AuthEventTypes.sessionRevoked,
          version: 1,
          occurredAt: clock.now(),
          aggregateId: sessionId,
          aggregateVersion: 3,
          data,
        },
      ]);
    });

    it('leaves the family dead: the newest token is refused too, as invalid', async () => {
      const { handler, second, outbox } = await reused();
      await expect(handler.handle({ refreshToken: second.refreshToken })).rejects.toMatchObject({
        code: 'refresh_token_invalid',
      });
      expect(outbox.events).toHaveLength(2);
    });

    it('commits nothing when the events cannot be appended, and surfaces that failure', async () => {
      const fixture = authFixture();
      const uow = new InMemoryAuthUnitOfWork(fixture.sessions, new EventsRefusingOutbox());
      const handler = new RefreshHandler({ ...fixture, uow });
      const { token, hash } = fixture.refreshTokens.issue();
      const session = await fixture.seedSession(SessionMother.started({ tokenHash: hash }, fixture.clock.now()));
      await handler.handle({ refreshToken: token });
      fixture.clock.advance(REUSE_GRACE_MS + 1);
      await expect(handler.handle({ refreshToken: token })).rejects.toThrow('outbox unavailable');
      expect(fixture.sessions.stored(session.id)?.revokedAt).toBeNull();
    });
  });

  it('refuses the token of an expired session with refresh_token_invalid and changes nothing', async () => {
    const { handler, token, clock, sessions, sessionId } = await setup();
    const before = sessions.stored(sessionId);
    clock.advance(SESSION_LIFETIME_MS);
    await expect(handler.handle({ refreshToken: token })).rejects.toMatchObject({ code: 'refresh_token_invalid' });
    expect(sessions.stored(sessionId)).toEqual(before);
  });

  it('refuses the token of a revoked session with refresh_token_invalid', async () => {
    const fixture = authFixture();
    const handler = new RefreshHandler(fixture);
    const { token, hash } = fixture.refreshTokens.issue();
    await fixture.sessions.insert(
      SessionMother.restored({ currentTokenHash: hash, revokedAt: fixture.clock.now(), revokedReason: 'logout' }),
    );
    await expect(handler.handle({ refreshToken: token })).rejects.toMatchObject({ code: 'refresh_token_invalid' });
    expect(fixture.outbox.events).toEqual([]);
  });
});
