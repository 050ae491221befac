import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { anonymousCaller } from '../../../../platform/http/access-policy.js';
import {
  AcceptedRef,
  CommandProblems,
  done,
  json,
  Problems,
  ref,
  sometimes,
  WriteHeaders,
} from '../../../../platform/http/schemas.js';
import { RateLimitedError } from '../../../../shared/domain/rate-limited-error.js';
import { route, type AuthApi } from '../auth-api.js';

/** Self sign-up: limited per IP here, then the account's owner (the users context) creates it. */
export const registerRoute = route({
  method: 'POST',
  url: '/api/v1/auth/register',
  schema: ({ accounts }) => ({
    summary: 'Sign up (role user)',
    security: [],
    headers: WriteHeaders,
    body: accounts.signUp.body,
    response: {
      201: done('The new user', ref(accounts.signUp.user), 'Location'),
      202: json(
        'Accepted: the account is being created (`Location` follows the command), or, with REQUIRE_EMAIL_VERIFICATION, `{ "status": "verification_sent" }` whether or not the address has an account',
        Type.Union([AcceptedRef, Type.Object({ status: Type.Literal('verification_sent') })]),
        sometimes('Location'),
      ),
      ...CommandProblems,
      429: Problems.rateLimited,
    },
  }),
  handler: (deps) => async (request, reply) => {
    const { limiter, clock } = deps.platform;
    const limit = await limiter.hit(
      `register:ip:${request.ip}`,
      deps.settings.registrationsPerIpPerHour,
      3_600,
      clock.now(),
    );
    if (!limit.allowed) throw new RateLimitedError(limit.retryAfterSeconds);
    if (deps.settings.email.requireEmailVerification) return signUpRevealingNothing(deps, request, reply);
    // Sign-ups share one anonymous caller per address: for idempotency, and to follow the command.
    return deps.accounts.signUp.respond(request, reply, anonymousCaller(request), request.body as never);
  },
});

/**
 * REQUIRE_EMAIL_VERIFICATION: the same 202 for a new address and for one that has an account; the
 * new account gets its verification mail, the existing one's owner a "someone tried to sign up
 * with your address" notice (within the address's mail budget).
 */
async function signUpRevealingNothing(deps: AuthApi, request: FastifyRequest, reply: FastifyReply) {
  const body = request.body as { email: string };
  const existing = await deps.accounts.credentials.findByEmail(body.email.trim().toLowerCase());
  if (existing) {
    if (await deps.email.throttle.allows(request.ip, existing.email))
      await deps.email.issuer.notifySignUpAttempt(existing);
  } else {
    await deps.accounts.signUp.enqueue(anonymousCaller(request), request.body as never);
  }
  return reply.code(202).send({ status: 'verification_sent' });
}
