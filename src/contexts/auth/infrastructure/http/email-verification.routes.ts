import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { HttpProblemError } from '../../../../platform/http/problem.js';
import { json, problem, Problems, ref } from '../../../../platform/http/schemas.js';
import { route, tokenPage, type AuthApi } from '../auth-api.js';

export const EmailBody = Type.Object(
  { email: Type.String({ maxLength: 320, examples: ['ada@example.com'] }) },
  { additionalProperties: false },
);
export const TokenBody = Type.Object({ token: Type.String({ maxLength: 200 }) }, { additionalProperties: false });
const Empty = json(
  'Accepted; a mail goes out if there is anything to mail (the answer is the same either way)',
  Type.Object({}, { additionalProperties: false }),
);

/** An anonymous request for a mail to an address: the same 202 whether or not an account has it. */
export function mailRequestSchema(summary: string) {
  return {
    summary,
    security: [],
    body: EmailBody,
    response: { 202: Empty, 400: Problems.validation, 503: Problems.unavailable },
  };
}

/** A mailed token spent through the API: the answer is the user (the accounts port's schema), as the read model shows the change. */
export function tokenConfirmSchema(summary: string, done: string, responses: Record<number, unknown> = {}) {
  return ({ accounts }: AuthApi) => ({
    summary,
    security: [],
    body: TokenBody,
    response: {
      200: json(done, ref(accounts.profile.user)),
      400: problem('`token_invalid`: malformed, unknown, expired, used or replaced by a newer mail'),
      ...responses,
      503: Problems.unavailable,
    },
  });
}

/** The user the change was made to, as its answer. */
export function replyWithUser(reply: FastifyReply, user: { body: unknown } | null, userId: string) {
  if (!user) throw HttpProblemError.of('not_found', `user ${userId} was not found`);
  return reply.send(user.body as Record<string, unknown>);
}

/** Mails a new verification link; the answer never says whether the address has an account. */
export const requestVerificationRoute = route({
  method: 'POST',
  url: '/api/v1/auth/email-verification',
  schema: mailRequestSchema('Mail a new verification link (to an existing, unverified account)'),
  handler: (deps) => async (request, reply) => {
    await deps.email.requestVerification.handle({ email: request.body.email, ip: request.ip });
    return reply.code(202).send({});
  },
});

/** Spends the token and answers the verified user. */
export const confirmVerificationRoute = route({
  method: 'POST',
  url: '/api/v1/auth/email-verification/confirm',
  schema: tokenConfirmSchema('Confirm an email address with the token of its mail', 'The user, `emailVerified: true`'),
  handler: (deps) => async (request, reply) => {
    const userId = await deps.email.confirmVerification.handle(request.body);
    return replyWithUser(reply, await deps.email.userOnce(userId, (u) => u.emailVerified === true), userId);
  },
});

/** `PUBLIC_URL/auth/verify-email?token=…`: the page the verification mail links to. */
export const verifyEmailPageRoute = tokenPage((deps) => ({
  path: '/auth/verify-email',
  page: 'verify-email',
  summary: 'Email verification page',
  submit: async ({ token }) => {
    const userId = await deps.email.confirmVerification.handle({ token });
    await deps.email.userOnce(userId, (u) => u.emailVerified === true);
  },
}));
