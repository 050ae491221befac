import type { FastifyReply, FastifyRequest } from 'fastify';
import { json, noContent, problem, Problems, ref } from '../../../../platform/http/schemas.js';
import { DomainError } from '../../../../shared/domain/domain-error.js';
import { HttpProblemError } from '../../../../platform/http/problem.js';
import { route, type AuthApi } from '../auth-api.js';
import { ended } from './auth.routes.js';
import { signInRoute } from './sign-in-route.js';
import {
  ConfirmTotpBody,
  LoginMfaBody,
  RecoveryCodesSchema,
  TokensSchema,
  TotpEnrolmentSchema,
} from './auth.schemas.js';
import { adminOfUserRoute, recentRoute } from './guarded-route.js';

const caller = (deps: AuthApi, request: FastifyRequest) =>
  deps.access.authenticate(request.headers.authorization ?? '');

const Conflict = problem('`mfa_already_enabled`: a TOTP factor is on already; remove it first');
const RecoveryCodes = json('The new recovery codes (shown this once); the previous set is void', RecoveryCodesSchema);

/** The second step of a sign-in: the challenge's `mfaToken` and a TOTP code or a recovery code. */
export const loginMfaRoute = signInRoute({
  url: '/api/v1/auth/login/mfa',
  summary: 'Finish a login with a second factor (a TOTP code or a recovery code)',
  body: LoginMfaBody,
  tokens: json('The tokens (`amr: ["pwd", "otp"]`)', ref(TokensSchema)),
  refused: '`mfa_code_invalid`: a wrong, replayed or used code, or an mfaToken that is used or expired',
  signIn: (api) => api.loginMfa,
});

/** Starts a TOTP enrolment; pending until a code confirms it. */
export const enrolTotpRoute = recentRoute({
  method: 'POST',
  url: '/api/v1/auth/mfa/totp',
  schema: {
    summary: 'Start a TOTP enrolment (bearer, recent): a new secret, pending until confirmed',
    response: {
      200: json('The secret, and its otpauth:// URI for a QR code (`Cache-Control: no-store`)', TotpEnrolmentSchema),
      409: Conflict,
    },
  },
  handler: async (deps, { id }, _request, reply) => {
    const account = await deps.accounts.credentials.findByUserId(id);
    const enrolment = await deps.mfa.enrolTotp.handle({ userId: id, accountName: account?.email ?? id });
    return reply.header('cache-control', 'no-store').send(enrolment);
  },
});

/** Confirms the pending enrolment with a first code: TOTP is on, and its first recovery codes are shown. */
export const confirmTotpRoute = route({
  method: 'POST',
  url: '/api/v1/auth/mfa/totp/confirm',
  schema: {
    summary: 'Confirm the TOTP enrolment with a code; answers the first recovery codes',
    body: ConfirmTotpBody,
    response: {
      200: RecoveryCodes,
      400: problem(
        '`validation_failed`, or `mfa_code_invalid`: the code is wrong, or there is no enrolment to confirm',
      ),
      401: Problems.unauthorized,
      409: Conflict,
      503: Problems.unavailable,
    },
  },
  handler: (deps) => async (request, reply) => {
    const { id, sessionId } = await caller(deps, request);
    const confirmed = await badRequest(() => deps.mfa.confirmTotp.handle({ userId: id, sessionId, ...request.body }));
    return withRecoveryCodes(deps, reply, confirmed);
  },
});

/** Turns TOTP off (and voids the recovery codes); other sessions end. */
export const removeTotpRoute = recentRoute({
  method: 'DELETE',
  url: '/api/v1/auth/mfa/totp',
  schema: {
    summary: 'Remove the TOTP factor and its recovery codes (bearer, recent)',
    response: { 204: noContent('Removed (or there was none); every other session ended') },
  },
  handler: async (deps, { id, sessionId }, _request, reply) => {
    return ended(deps, reply, await deps.mfa.remove.handle({ userId: id, sessionId }));
  },
});

/** A new set of recovery codes; the old set is void. */
export const regenerateRecoveryCodesRoute = recentRoute({
  method: 'POST',
  url: '/api/v1/auth/mfa/recovery-codes',
  schema: {
    summary: 'Replace the recovery codes (bearer, recent); the old set is void',
    response: {
      200: RecoveryCodes,
      409: problem('`mfa_not_enabled`: there is no second factor to recover'),
    },
  },
  handler: async (deps, { id, sessionId }, _request, reply) => {
    return withRecoveryCodes(deps, reply, await deps.mfa.regenerateRecoveryCodes.handle({ userId: id, sessionId }));
  },
});

/** An admin removes a user's second factors (a lost phone); audited, and every session of the user ends. */
export const removeUserMfaRoute = adminOfUserRoute({
  method: 'DELETE',
  url: '/api/v1/users/:id/mfa',
  schema: {
    summary: "Remove a user's second factors (admin; audited)",
    response: { 204: noContent("Removed (or there were none); the user's sessions ended") },
  },
  handler: async (deps, target, _request, reply) => ended(deps, reply, await deps.mfa.remove.handle(target)),
});

/** New recovery codes, shown this once (never cached), after the sessions the change ended are refused everywhere. */
async function withRecoveryCodes(
  deps: AuthApi,
  reply: FastifyReply,
  changed: { revoked: readonly string[]; recoveryCodes: readonly string[] },
): Promise<FastifyReply> {
  await deps.revoked.settle({ sessionIds: changed.revoked });
  return reply.header('cache-control', 'no-store').send({ recoveryCodes: changed.recoveryCodes });
}

/**
 * API.md answers a wrong code at confirmation 400 (a request to fix) and at sign-in 401 (an
 * authentication refused): one code, two statuses, so this route answers its own.
 */
async function badRequest<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'mfa_code_invalid') throw error;
    const { type, title } = { type: '/problems/mfa-code-invalid', title: 'The code is not valid' };
    throw new HttpProblemError({ type, title, status: 400, detail: error.message, code: error.code });
  }
}
