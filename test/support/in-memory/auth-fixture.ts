import type { Credentials } from '../../../src/contexts/auth/domain/credentials.js';
import type { LockoutPolicy } from '../../../src/contexts/auth/domain/login-throttle.js';
import { Session } from '../../../src/contexts/auth/domain/session.js';
import { specification, type Handler } from '../handler-spec.js';
import { FakePasswordHasher } from './fake-password-hasher.js';
import { FakeAccessTokens, FakeRefreshTokens } from './fake-tokens.js';
import { FixedClock, SequentialIds } from './fixed-clock.js';
import { InMemoryAuthUnitOfWork } from './in-memory-auth-unit-of-work.js';
import { InMemoryCredentialsReader } from './in-memory-credentials-reader.js';
import { InMemoryLoginAttempts } from './in-memory-login-attempts.js';
import { InMemoryRateLimiter } from './in-memory-rate-limiter.js';
import { FailingEventOutbox } from './users-fixture.js';

export interface AuthFixtureOptions {
  readonly failingOutbox?: boolean;
  readonly lockout?: LockoutPolicy;
}

/** What an auth handler test needs: every auth port in memory, a fixed clock and ways to seed state. */
export function authFixture(options: AuthFixtureOptions = {}) {
  const uow = options.failingOutbox
    ? new InMemoryAuthUnitOfWork(undefined, new FailingEventOutbox())
    : new InMemoryAuthUnitOfWork();
  const credentials = new InMemoryCredentialsReader();
  return {
    uow,
    sessions: uow.sessions,
    outbox: uow.outbox,
    clock: new FixedClock(),
    ids: new SequentialIds(),
    hasher: new FakePasswordHasher(),
    credentials,
    attempts: new InMemoryLoginAttempts(options.lockout),
    limiter: new InMemoryRateLimiter(),
    refreshTokens: new FakeRefreshTokens(),
    accessTokens: new FakeAccessTokens(),
    /** Stores a session as if an earlier login had started it (its events are dropped). */
    async seedSession<T extends Session>(session: T): Promise<T> {
      session.pullEvents();
      await uow.sessions.insert(session);
      return session;
    },
    seedAccount(account: Credentials): Credentials {
      return credentials.add(account);
    },
  };
}

export type AuthFixture = ReturnType<typeof authFixture>;

/** Given stored sessions and accounts, when an auth command is handled, then its result, events or error. */
export function authSpec<C, R>(handler: (fixture: AuthFixture) => Handler<C, R>) {
  return specification({
    fixture: authFixture,
    seed: (fixture, item: Session | Credentials) =>
      item instanceof Session ? fixture.seedSession(item) : fixture.seedAccount(item),
    handler,
  });
}
