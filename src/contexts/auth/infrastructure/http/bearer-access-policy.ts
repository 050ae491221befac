import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import {
  anonymousCaller,
  isAdmin,
  type AccessPolicy,
  type AccessRule,
  type Caller,
} from '../../../../platform/http/access-policy.js';
import { HttpProblemError } from '../../../../platform/http/problem.js';
import type { AuthenticationMethod } from '../../domain/session.js';
import { InvalidAccessTokenError } from '../tokens/jose-access-tokens.js';
import type { AccessTokenVerifier } from '../tokens/verified-token-cache.js';
import type { RevokedSessionsCache } from '../tokens/revoked-sessions-cache.js';

/** How long a request waits for a fresh read of the revocations before it is refused. */
const READ_AGAIN_WAIT_MS = 1_000;

export interface AuthenticatedCaller extends Caller {
  readonly sessionId: string;
  /** How and when the caller signed in (`amr`, `auth_time`): what a "recent" route asks. */
  readonly amr: readonly AuthenticationMethod[];
  readonly authTime: Date | null;
}

/**
 * Bearer tokens for every route: verifies the JWT, refuses tokens of revoked sessions, then
 * applies the route's rule (API.md's "who" column).
 */
export class BearerAccessPolicy implements AccessPolicy {
  constructor(
    private readonly tokens: AccessTokenVerifier,
    private readonly revoked: RevokedSessionsCache,
  ) {}

  async authorize(request: FastifyRequest, rule: AccessRule, selfId?: string): Promise<Caller> {
    const header = request.headers.authorization;
    if (header === undefined) {
      if (rule === 'anyone') return anonymousCaller(request);
      throw unauthorized('authentication is required', false);
    }
    const caller = await this.authenticate(header);
    if (rule === 'admin' && !isAdmin(caller)) throw forbidden();
    if (rule === 'admin-or-self' && !isAdmin(caller) && caller.id !== selfId) throw forbidden();
    return caller;
  }

  async authenticate(header: string): Promise<AuthenticatedCaller> {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
    if (!match) throw unauthorized('the Authorization header must be "Bearer <token>"', true);
    try {
      const claims = await this.tokens.verify(match[1]!);
      await this.revocationsRead();
      if (this.revoked.isRevoked(claims.sessionId)) throw new InvalidAccessTokenError('the session was revoked');
      const { userId: id, roles, sessionId, amr, authTime } = claims;
      return { id, roles, sessionId, amr, authTime };
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw unauthorized('the access token is not valid', true);
      throw error;
    }
  }

  /**
   * Fails closed: a process that has not read the revocations lately (the database unreachable,
   * the event loop stalled) may be missing one, so it reads again or refuses until it can.
   */
  private async revocationsRead(): Promise<void> {
    if (this.revoked.current) return;
    await Promise.race([this.revoked.refresh(), sleep(READ_AGAIN_WAIT_MS)]).catch(() => undefined);
    if (!this.revoked.current) {
      throw HttpProblemError.of(
        'service_unavailable',
        'revoked sessions cannot be checked right now; try again shortly',
        {
          'Retry-After': '1',
        },
      );
    }
  }
}

function unauthorized(detail: string, invalidToken: boolean): HttpProblemError {
  // RFC 6750: say which scheme is expected, and whether the token itself was the problem.
  const challenge = invalidToken ? 'Bearer error="invalid_token"' : 'Bearer';
  return HttpProblemError.of('unauthorized', detail, { 'WWW-Authenticate': challenge });
}

function forbidden(): HttpProblemError {
  return HttpProblemError.of('forbidden', 'your roles do not allow this');
}
