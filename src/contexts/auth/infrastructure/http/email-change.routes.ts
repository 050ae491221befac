import { Type } from 'typebox';
import { json, problem, Problems } from '../../../../platform/http/schemas.js';
import type { EmailChanged } from '../../application/confirm-email-change/confirm-email-change.handler.js';
import { route, tokenPage, type AuthApi } from '../auth-api.js';
import { replyWithUser, tokenConfirmSchema } from './email-verification.routes.js';

const ChangeBody = Type.Object(
  {
    newEmail: Type.String({ maxLength: 320, examples: ['ada@new.example.com'] }),
    currentPassword: Type.String({ maxLength: 1024, format: 'password' }),
  },
  { additionalProperties: false },
);

/** The change applied: its sessions refused by every API process, the read model showing the new address. */
async function applied(deps: AuthApi, changed: EmailChanged) {
  await deps.revoked.settle({ sessionIds: changed.revoked });
  return deps.email.userOnce(changed.userId, (u) => u.email === changed.email);
}

/** A signed-in user asks to move the account to another address: a confirmation there, a notice to the old one. */
export const requestEmailChangeRoute = route({
  method: 'POST',
  url: '/api/v1/auth/email/change',
  schema: {
    summary: 'Change the email address: mails a confirmation to the new address and a notice to the old one',
    body: ChangeBody,
    response: {
      202: json(
        'Accepted; the confirmation goes out unless the address already has an account or a budget is spent (the answer is the same)',
        Type.Object({}, { additionalProperties: false }),
      ),
      400: problem('`validation_failed`: `newEmail` is not a valid address, or is already the account’s'),
      401: problem(
        '`unauthorized` (the bearer token; `WWW-Authenticate`), or `invalid_credentials`: `currentPassword` is wrong',
        'WWW-Authenticate',
      ),
      503: Problems.unavailable,
    },
  },
  handler: (deps) => async (request, reply) => {
    const caller = await deps.access.authenticate(request.headers.authorization ?? '');
    await deps.email.requestEmailChange.handle({ userId: caller.id, ip: request.ip, ...request.body });
    return reply.code(202).send({});
  },
});

/** Spends the token of the confirmation mail: the account has the new address, every session ends. */
export const confirmEmailChangeRoute = route({
  method: 'POST',
  url: '/api/v1/auth/email/change/confirm',
  schema: tokenConfirmSchema(
    'Confirm a change of address with the token of its mail; every session of the user is revoked',
    'The user, with the new `email`',
    { 409: problem('`email_taken`: another account took the address since the change was asked for') },
  ),
  handler: (deps) => async (request, reply) => {
    const changed = await deps.email.confirmEmailChange.handle(request.body);
    return replyWithUser(reply, await applied(deps, changed), changed.userId);
  },
});

/** `PUBLIC_URL/auth/confirm-email-change?token=…`: the page the confirmation mail links to. */
export const confirmEmailChangePageRoute = tokenPage((deps) => ({
  path: '/auth/confirm-email-change',
  page: 'confirm-email-change',
  summary: 'Change of address page',
  submit: async ({ token }) => {
    await applied(deps, await deps.email.confirmEmailChange.handle({ token }));
  },
}));
