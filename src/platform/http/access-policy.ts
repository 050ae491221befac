import type { FastifyRequest } from 'fastify';

/** Who is calling. The auth context fills this from the bearer token. */
export interface Caller {
  readonly id: string;
  readonly roles: readonly string[];
}

/** What a route demands of its caller (API.md's "who" column). */
export type AccessRule = 'anyone' | 'authenticated' | 'admin' | 'admin-or-self';

/**
 * The single place where authentication plugs in: every route declares its rule, and the server
 * asks this policy before the handler runs. The auth context's bearer-token policy implements it,
 * so shared HTTP code and the users context never depend on how tokens work.
 */
export interface AccessPolicy {
  /** Resolves the caller, or throws a problem (401/403). `selfId` is the path's `{id}`, if any. */
  authorize(request: FastifyRequest, rule: AccessRule, selfId?: string): Promise<Caller>;
}

/**
 * A caller without a token, known by its address: what it starts (a sign-up) it may follow later
 * from there (`GET /commands/{id}`, the id being the capability), and its idempotency keys are its own.
 */
export function anonymousCaller(request: FastifyRequest): Caller {
  return { id: `anonymous:${request.ip}`, roles: [] };
}

export function isAdmin(caller: Caller): boolean {
  return caller.roles.includes('admin');
}

/**
 * The policy every route asks, bound once the context that implements it (auth) has built its
 * API side: contexts are built in any order, and none of them knows which one provides it.
 */
export class DeferredAccessPolicy implements AccessPolicy {
  private policy: AccessPolicy | null = null;

  provide(policy: AccessPolicy): void {
    if (this.policy) throw new Error('two contexts provide the access policy');
    this.policy = policy;
  }

  get provided(): boolean {
    return this.policy !== null;
  }

  authorize(request: FastifyRequest, rule: AccessRule, selfId?: string): Promise<Caller> {
    if (!this.policy) throw new Error('no context provides an access policy');
    return this.policy.authorize(request, rule, selfId);
  }
}
