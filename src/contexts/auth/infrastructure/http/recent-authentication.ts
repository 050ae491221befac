import type { FastifyRequest } from 'fastify';
import { problem, Problems } from '../../../../platform/http/schemas.js';
import { ReauthenticationRequiredError } from '../../domain/auth-errors.js';
import { isRecentAuthentication } from '../../domain/recent-authentication.js';
import type { AuthApi } from '../auth-api.js';
import type { AuthenticatedCaller } from './bearer-access-policy.js';

/**
 * API.md's "bearer, recent": the caller, provided their token's `auth_time` is under 5 minutes
 * old; otherwise 401 `reauthentication_required`. Every route that changes a second factor (TOTP,
 * recovery codes, passkeys) asks through this one guard.
 */
export async function recentCaller(deps: AuthApi, request: FastifyRequest): Promise<AuthenticatedCaller> {
  const caller = await deps.access.authenticate(request.headers.authorization ?? '');
  if (!isRecentAuthentication(caller.authTime, deps.platform.clock.now())) throw new ReauthenticationRequiredError();
  return caller;
}

/** The 401 of a "recent" route, as its schema declares it. */
export const NotRecentProblem = problem(
  '`unauthorized` (the bearer token; `WWW-Authenticate` says why), or `reauthentication_required`: the sign-in is over 5 minutes old, log in again',
  'WWW-Authenticate',
);

/** What a "recent" route can fail with besides its own errors. */
export const RecentProblems = { 401: NotRecentProblem, 503: Problems.unavailable };
