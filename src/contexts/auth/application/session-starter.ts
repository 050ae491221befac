import type { IdGenerator } from '../../../shared/application/ports/id-generator.js';
import type { Credentials } from '../domain/credentials.js';
import { Session, type AuthenticationMethod, type SessionClient } from '../domain/session.js';
import {
  claimsOf,
  type AccessTokenIssuer,
  type AuthScope,
  type AuthUnitOfWork,
  type RefreshTokenFactory,
  type StartedSession,
} from './auth-ports.js';

/** A new session and its first tokens: the end of every sign-in (a password, then maybe a second factor). */
export class SessionStarter {
  constructor(
    private readonly deps: {
      uow: AuthUnitOfWork;
      refreshTokens: RefreshTokenFactory;
      accessTokens: AccessTokenIssuer;
      ids: IdGenerator;
      sessionLifetimeMs: number;
    },
  ) {}

  /**
   * Stores the session and its login event. Inside `scope` when given: the sign-in's other writes
   * (a spent challenge, a used code) then commit with the session or not at all.
   */
  async start(
    account: Pick<Credentials, 'userId' | 'roles'>,
    signIn: { now: Date; client: SessionClient; amr: readonly AuthenticationMethod[] },
    scope?: AuthScope,
  ): Promise<StartedSession> {
    const { refreshTokens, accessTokens, ids, sessionLifetimeMs, uow } = this.deps;
    const refresh = refreshTokens.issue();
    const session = Session.start(
      {
        id: ids.next(),
        userId: account.userId,
        roles: account.roles,
        tokenHash: refresh.hash,
        lifetimeMs: sessionLifetimeMs,
        client: signIn.client,
        amr: signIn.amr,
      },
      signIn.now,
    );
    const store = async ({ sessions, outbox }: AuthScope) => {
      await sessions.insert(session);
      await outbox.append(session.pullEvents());
    };
    await (scope ? store(scope) : uow.run(store));
    return {
      accessToken: await accessTokens.issue(claimsOf(session)),
      tokenType: 'Bearer',
      expiresIn: accessTokens.lifetimeSeconds,
      refreshToken: refresh.token,
      refreshExpiresIn: Math.floor(sessionLifetimeMs / 1000),
      sessionId: session.id,
    };
  }
}
