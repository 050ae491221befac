import { anonymousCaller } from '../../../../platform/http/access-policy.js';
import { Accepted, CommandProblems, done, Problems, ref, WriteHeaders } from '../../../../platform/http/schemas.js';
import { RateLimitedError } from '../../../../shared/domain/rate-limited-error.js';
import { route } from '../auth-api.js';

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
      202: Accepted,
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
    // Sign-ups share one anonymous caller per address: for idempotency, and to follow the command.
    return deps.accounts.signUp.respond(request, reply, anonymousCaller(request), request.body as never);
  },
});
