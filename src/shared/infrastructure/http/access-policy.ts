import type { FastifyRequest } from 'fastify';
import { HttpProblemError } from './problem.js';

/** Who is calling. The auth context fills this from the bearer token. */
export interface Caller {
  readonly id: string;
  readonly roles: readonly string[];
}

/** What a route demands of its caller (API.md's "who" column). */
export type AccessRule = 'anyone' | 'authenticated' | 'admin' | 'admin-or-self';

/**
 * The single place where authentication plugs in: every route declares its rule, and the server
 * asks this policy before the handler runs. Until the auth context lands the service uses
 * `OpenAccessPolicy` (listen on 127.0.0.1 only); the auth issue supplies a bearer-token policy.
 */
export interface AccessPolicy {
  /** Resolves the caller, or throws a problem (401/403). `selfId` is the path's `{id}`, if any. */
  authorize(request: FastifyRequest, rule: AccessRule, selfId?: string): Promise<Caller>;
}

export const ANONYMOUS: Caller = { id: 'anonymous', roles: ['admin'] };

export class OpenAccessPolicy implements AccessPolicy {
  authorize(_request: FastifyRequest, rule: AccessRule): Promise<Caller> {
    // The open caller is nobody in particular: a route about "the signed-in user" has no one to
    // answer for (its id is not a user id), so it is refused rather than looked up.
    if (rule === 'authenticated') {
      return Promise.reject(
        HttpProblemError.of('unauthorized', 'authentication is required', { 'WWW-Authenticate': 'Bearer' }),
      );
    }
    return Promise.resolve(ANONYMOUS);
  }
}

export function isAdmin(caller: Caller): boolean {
  return caller.roles.includes('admin');
}
