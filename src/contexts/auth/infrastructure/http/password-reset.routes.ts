import { Type } from 'typebox';
import { noContent, problem } from '../../../../platform/http/schemas.js';
import { route, tokenPage } from '../auth-api.js';
import { ended } from './auth.routes.js';
import { mailRequestSchema } from './email-verification.routes.js';

/** Long enough for the answer to reach a client on this machine before the work takes the thread. */
const FORGOT_DELAY_MS = 25;

const ResetBody = Type.Object(
  { token: Type.String({ maxLength: 200 }), newPassword: Type.String({ maxLength: 1024, format: 'password' }) },
  { additionalProperties: false },
);

/** Mails a reset link; the same 202, in the same time, whether or not the address has an account. */
export const forgotPasswordRoute = route({
  method: 'POST',
  url: '/api/v1/auth/password/forgot',
  schema: mailRequestSchema('Mail a password reset link (if an account has the address)'),
  handler: (deps) => async (request, reply) => {
    // The lookup and the issue start a moment after the answer has left, so that no address
    // answers faster or slower than another (a known one writes a token and an event, an
    // unknown one nothing; PGlite's queries run on this thread, and would hold the answer
    // back). The client hears 202 either way; a failure here is logged, and the user asks again.
    const work = { email: request.body.email, ip: request.ip };
    reply.raw.once('finish', () => {
      setTimeout(() => {
        deps.email.forgotPassword
          .handle(work)
          .catch((error: unknown) => request.log.error({ err: error }, 'the reset mail could not be issued'));
      }, FORGOT_DELAY_MS);
    });
    return reply.code(202).send({});
  },
});

/** A new password with the reset token; every session of the user ends. */
export const resetPasswordRoute = route({
  method: 'POST',
  url: '/api/v1/auth/password/reset',
  schema: {
    summary: 'Set a new password with the token of a reset mail',
    security: [],
    body: ResetBody,
    response: {
      204: noContent('Changed: the old password no longer works, every session of the user is revoked'),
      400: problem(
        '`token_invalid` (malformed, unknown, expired, used or replaced), `weak_password` (nothing spent: retry with a better one) or `validation_failed`',
      ),
      503: problem(
        '`service_unavailable`: the change was not applied within 15 s, or the database or queue is down',
        'Retry-After',
      ),
    },
  },
  handler: (deps) => async (request, reply) => {
    return ended(deps, reply, await deps.email.resetPassword.handle(request.body));
  },
});

/** `PUBLIC_URL/auth/reset-password?token=…`: the page the reset mail links to (a new password and a button). */
export const resetPasswordPageRoute = tokenPage((deps) => ({
  path: '/auth/reset-password',
  page: 'reset-password',
  summary: 'Password reset page',
  withPassword: true,
  submit: async ({ token, newPassword }) => {
    const ended = await deps.email.resetPassword.handle({ token, newPassword: newPassword ?? '' });
    await deps.revoked.settle({ sessionIds: ended });
  },
}));
