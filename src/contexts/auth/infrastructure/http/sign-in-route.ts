import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { problem, Problems } from '../../../../platform/http/schemas.js';
import { route, type AuthApi } from '../auth-api.js';

/** The client a sign-in comes from, as its session will show it. */
export function clientOf(request: FastifyRequest): { ip: string; userAgent?: string } {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, ...(userAgent && { userAgent }) };
}

/** A sign-in's answer: its tokens, which no cache may keep. */
export function signedIn<T extends object>(reply: FastifyReply, result: T): FastifyReply {
  return reply.header('cache-control', 'no-store').send(withoutUserId(result));
}

/** A sign-in's answer on the wire: the user id is for the caller's bookkeeping, not the client's. */
export function withoutUserId<T extends object>(result: T): T extends unknown ? Omit<T, 'userId' | 'amr'> : never {
  const { userId: _userId, amr: _amr, ...rest } = result as T & { userId?: unknown; amr?: unknown };
  return rest as T extends unknown ? Omit<T, 'userId' | 'amr'> : never;
}

interface SignInSpec<B extends TSchema> {
  readonly url: string;
  readonly summary: string;
  readonly body: B;
  /** The success (200): tokens, or a second-factor challenge. */
  readonly tokens: unknown;
  /** What the 401 (`WWW-Authenticate`) refuses: it says nothing of which check failed. */
  readonly refused: string;
  /** What proved the user, where an unconfirmed address is refused next (REQUIRE_EMAIL_VERIFICATION). */
  readonly unverifiedAfter?: 'password' | 'passkey';
  /** The use case: the body and the client it comes from in, tokens (or a challenge) out. */
  readonly signIn: (api: AuthApi) => { handle(input: Static<B> & ReturnType<typeof clientOf>): Promise<object> };
}

/**
 * A way of signing in (password, second factor, passkey): public, limited per IP like every
 * sign-in, its body and the client it comes from handed to its use case, its tokens not cached.
 */
export function signInRoute<B extends TSchema>(spec: SignInSpec<B>) {
  return route({
    method: 'POST',
    url: spec.url,
    schema: {
      summary: spec.summary,
      security: [],
      body: spec.body,
      response: {
        200: spec.tokens,
        400: Problems.validation,
        401: problem(spec.refused, 'WWW-Authenticate'),
        ...(spec.unverifiedAfter && { 403: unverified(spec.unverifiedAfter) }),
        429: Problems.rateLimited,
        503: Problems.unavailable,
      },
    },
    handler: (api) => async (request, reply) =>
      signedIn(reply, await spec.signIn(api).handle({ ...(request.body as Static<B>), ...clientOf(request) })),
  });
}

const unverified = (proof: string) =>
  problem(`\`email_not_verified\`: the ${proof} is right, the address is not confirmed (REQUIRE_EMAIL_VERIFICATION)`);
