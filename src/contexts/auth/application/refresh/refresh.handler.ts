import type { Clock } from '../../../../shared/application/ports/clock.js';
import { RefreshTokenInvalidError, RefreshTokenReusedError } from '../../domain/auth-errors.js';
import {
  claimsOf,
  type AccessTokenIssuer,
  type AuthUnitOfWork,
  type RefreshTokenFactory,
  type TokenPair,
} from '../auth-ports.js';

export interface RefreshCommand {
  readonly refreshToken: string;
}

/** Refresh-token rotation with reuse detection (see `Session.rotate`). */
export class RefreshHandler {
  constructor(
    private readonly deps: {
      uow: AuthUnitOfWork;
      refreshTokens: RefreshTokenFactory;
      accessTokens: AccessTokenIssuer;
      clock: Clock;
    },
  ) {}

  async handle(command: RefreshCommand): Promise<TokenPair & { revokedSessionId?: string }> {
    const { uow, refreshTokens, accessTokens, clock } = this.deps;
    const now = clock.now();
    const presented = refreshTokens.digest(command.refreshToken);
    const next = refreshTokens.issue();
    const outcome = await uow.run(async ({ sessions, outbox }) => {
      const session = await sessions.findByTokenHash(presented);
      if (!session) return { kind: 'invalid' as const };
      const result = session.rotate(presented, next.hash, now);
      // A reuse revokes the session: that must commit even though the request fails.
      if (result !== 'invalid') {
        await sessions.update(session);
        await outbox.append(session.pullEvents());
      }
      return { kind: result, session };
    });
    if (outcome.kind === 'invalid') throw new RefreshTokenInvalidError();
    if (outcome.kind === 'reused') {
      throw Object.assign(new RefreshTokenReusedError(), { revokedSessionId: outcome.session.id });
    }
    const { session } = outcome;
    return {
      accessToken: await accessTokens.issue(claimsOf(session)),
      tokenType: 'Bearer',
      expiresIn: accessTokens.lifetimeSeconds,
      refreshToken: next.token,
      refreshExpiresIn: Math.max(0, Math.floor((session.snapshot().expiresAt.getTime() - now.getTime()) / 1000)),
    };
  }
}
