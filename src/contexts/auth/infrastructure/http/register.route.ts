import type { RouteDefinition } from '../../../../platform/context/context-manifest.js';
import { anonymousCaller } from '../../../../platform/http/access-policy.js';
import {
  Accepted,
  CommandProblems,
  done,
  Problems,
  ref,
  share,
  WriteHeaders,
} from '../../../../platform/http/schemas.js';
import { RateLimitedError } from '../../../../shared/domain/rate-limited-error.js';
import type { AuthApi } from '../auth-api.js';

/** Self sign-up: limited per IP here, then the account's owner (the users context) creates it. */
export const registerRoute: RouteDefinition<AuthApi> = {
  register: (app, deps) => {
    share(app, deps.accounts.signUp.user);
    app.post(
      '/api/v1/auth/register',
      {
        schema: {
          tags: ['auth'],
          summary: 'Sign up (role user)',
          security: [],
          headers: WriteHeaders,
          body: deps.accounts.signUp.body,
          response: {
            201: done('The new user', ref(deps.accounts.signUp.user), 'Location'),
            202: Accepted,
            ...CommandProblems,
            429: Problems.rateLimited,
          },
        },
      },
      async (request, reply) => {
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
    );
  },
};
