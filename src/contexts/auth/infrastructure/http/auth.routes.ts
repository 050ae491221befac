import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { json, noContent, problem, Problems, ref } from '../../../../platform/http/schemas.js';
import { route, type AuthApi } from '../auth-api.js';
import { signInRoute } from './sign-in-route.js';
import { adminOfUserRoute } from './guarded-route.js';
import {
  AuditPageSchema,
  AuditQuerystring,
  ChangePasswordBody,
  JwksSchema,
  LoginBody,
  LogoutBody,
  MfaRequiredSchema,
  RefreshBody,
  TokensSchema,
} from './auth.schemas.js';

const Tokens = json('The tokens', ref(TokensSchema));
const TokensOrChallenge = json(
  'The tokens; or, for an account with a second factor, the challenge to answer at `/api/v1/auth/login/mfa`',
  Type.Union([ref(TokensSchema), ref(MfaRequiredSchema)]),
);

/** Email and password in, tokens out (lockout, limits and timing inside the handler). */
export const loginRoute = signInRoute({
  url: '/api/v1/auth/login',
  summary: 'Log in with email and password',
  body: LoginBody,
  tokens: TokensOrChallenge,
  refused: '`invalid_credentials`: wrong email or password, or a deactivated account',
  unverifiedAfter: 'password',
  signIn: (api) => api.login,
});

/** Rotation with reuse detection; a reused token revokes its session here at once. */
export const refreshRoute = route({
  method: 'POST',
  url: '/api/v1/auth/refresh',
  schema: {
    summary: 'Exchange a refresh token for new tokens (rotation)',
    security: [],
    body: RefreshBody,
    response: {
      200: Tokens,
      401: problem(
        '`refresh_token_invalid`, or `refresh_token_reused`: the whole session is now revoked',
        'WWW-Authenticate',
      ),
      503: Problems.unavailable,
    },
  },
  handler: (deps) => async (request, reply) => {
    try {
      const tokens = await deps.refresh.handle(request.body);
      return reply.header('cache-control', 'no-store').send(tokens);
    } catch (error) {
      const revoked = (error as { revokedSessionId?: string }).revokedSessionId;
      if (revoked) await deps.revoked.settle({ sessionIds: [revoked] });
      throw error;
    }
  },
});

/** Ends this session; its tokens are refused from this answer on. */
export const logoutRoute = route({
  method: 'POST',
  url: '/api/v1/auth/logout',
  // The body is optional: `curl -X POST …/logout -H 'Authorization: …'` sends none at all.
  preValidation: async (request) => {
    request.body ??= {};
  },
  schema: {
    summary: 'End this session',
    body: LogoutBody,
    'x-body-optional': true,
    response: {
      204: noContent("The access token's session is revoked"),
      401: Problems.unauthorized,
      503: Problems.unavailable,
    },
  },
  handler: (deps) => async (request, reply) => {
    const caller = await deps.access.authenticate(request.headers.authorization ?? '');
    await deps.logout.handle({ sessionId: caller.sessionId });
    return ended(deps, reply, [caller.sessionId]);
  },
});

/** Verifies the current password, then replaces the hash through the users context. */
export const changePasswordRoute = route({
  method: 'POST',
  url: '/api/v1/auth/password',
  schema: {
    summary: 'Change the password; other sessions are revoked',
    body: ChangePasswordBody,
    response: {
      204: noContent('Changed: the old password no longer works, every other session is revoked'),
      400: problem('`validation_failed`, or `weak_password`: the new password breaks the password rules'),
      401: problem(
        '`unauthorized` (the bearer token; `WWW-Authenticate`), or `invalid_credentials`: `currentPassword` is wrong',
        'WWW-Authenticate',
      ),
      503: problem(
        '`service_unavailable`: the change was not applied within 15 s, or the database or queue is down',
        'Retry-After',
      ),
    },
  },
  handler: (deps) => async (request, reply) => {
    const caller = await deps.access.authenticate(request.headers.authorization ?? '');
    const revoked = await deps.changePassword.handle({
      userId: caller.id,
      sessionId: caller.sessionId,
      ...request.body,
    });
    return ended(deps, reply, revoked);
  },
});

/** A user's sign-in trail (admin), read from the outbox. */
export const auditRoute = adminOfUserRoute({
  method: 'GET',
  url: '/api/v1/users/:id/audit',
  schema: {
    summary: "A user's sign-in audit trail (admin), newest first",
    querystring: AuditQuerystring,
    response: { 200: json('Sign-in events of the user, newest first', AuditPageSchema) },
  },
  handler: async (deps, { userId }, request) => {
    const page = await deps.audit.handle({
      type: 'auth.list_audit_events',
      userId,
      ...(request.query.limit !== undefined && { limit: request.query.limit }),
      ...(request.query.cursor !== undefined && { cursor: request.query.cursor }),
    });
    return {
      items: page.items.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
      nextCursor: page.nextCursor,
    };
  },
});

/** The public keys that verify access tokens. */
export const jwksRoute = route({
  method: 'GET',
  url: '/.well-known/jwks.json',
  schema: {
    summary: 'Public keys that verify access tokens',
    security: [],
    response: { 200: json('The JSON Web Key Set (`Cache-Control: public, max-age=300`)', JwksSchema) },
  },
  handler: (deps) => async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(deps.keys.jwks()),
});

/** Sessions a request ended: the answer, with no body, waits until every API process refuses their tokens. */
export async function ended(deps: AuthApi, reply: FastifyReply, sessionIds: readonly string[]): Promise<FastifyReply> {
  await deps.revoked.settle({ sessionIds });
  return reply.code(204).send(null);
}
