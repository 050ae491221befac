import { IdParams, ProblemSchema } from '../../../../platform/http/schemas.js';
import type { ListAuditEventsHandler } from '../../application/list-audit-events/list-audit-events.handler.js';
import type { HttpServer } from '../../../../platform/http/server.js';
import type { ChangePasswordHandler } from '../../application/change-password/change-password.handler.js';
import type { LoginHandler } from '../../application/login/login.handler.js';
import type { LogoutHandler } from '../../application/logout/logout.handler.js';
import type { RefreshHandler } from '../../application/refresh/refresh.handler.js';
import type { RevokedSessionsCache } from '../tokens/revoked-sessions-cache.js';
import type { SigningKeyStore } from '../tokens/signing-key-store.js';
import {
  AuditPageSchema,
  AuditQuerystring,
  ChangePasswordBody,
  JwksSchema,
  LoginBody,
  LogoutBody,
  RefreshBody,
  TokensSchema,
} from './auth.schemas.js';
import type { BearerAccessPolicy } from './bearer-access-policy.js';

export interface AuthRoutesDeps {
  readonly login: Pick<LoginHandler, 'handle'>;
  readonly refresh: Pick<RefreshHandler, 'handle'>;
  readonly logout: LogoutHandler;
  readonly changePassword: ChangePasswordHandler;
  readonly access: BearerAccessPolicy;
  readonly revoked: RevokedSessionsCache;
  readonly keys: SigningKeyStore;
  readonly audit: ListAuditEventsHandler;
}

const problems = { 400: ProblemSchema, 401: ProblemSchema, 429: ProblemSchema };

export function registerAuthRoutes(app: HttpServer, deps: AuthRoutesDeps): void {
  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with email and password',
        security: [],
        body: LoginBody,
        response: { 200: TokensSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { userId: _userId, ...tokens } = await deps.login.handle({ ...request.body, ip: request.ip });
      return reply.header('cache-control', 'no-store').send(tokens);
    },
  );

  app.post(
    '/api/v1/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for new tokens (rotation)',
        security: [],
        body: RefreshBody,
        response: { 200: TokensSchema, ...problems },
      },
    },
    async (request, reply) => {
      try {
        const tokens = await deps.refresh.handle(request.body);
        return reply.header('cache-control', 'no-store').send(tokens);
      } catch (error) {
        const revoked = (error as { revokedSessionId?: string }).revokedSessionId;
        if (revoked) deps.revoked.add([revoked]);
        throw error;
      }
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      // The body is optional: `curl -X POST …/logout -H 'Authorization: …'` sends none at all.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        body: LogoutBody,
        response: { 204: { type: 'null' }, 401: ProblemSchema },
      },
    },
    async (request, reply) => {
      const caller = await deps.access.authenticate(request.headers.authorization ?? '');
      await deps.logout.handle({ sessionId: caller.sessionId });
      deps.revoked.add([caller.sessionId]);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change the password; other sessions are revoked',
        body: ChangePasswordBody,
        response: { 204: { type: 'null' }, ...problems, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const caller = await deps.access.authenticate(request.headers.authorization ?? '');
      const revoked = await deps.changePassword.handle({
        userId: caller.id,
        sessionId: caller.sessionId,
        ...request.body,
      });
      deps.revoked.add(revoked);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/users/:id/audit',
    {
      schema: {
        tags: ['auth'],
        summary: "A user's sign-in audit trail (admin), newest first",
        params: IdParams,
        querystring: AuditQuerystring,
        response: { 200: AuditPageSchema, 401: ProblemSchema, 403: ProblemSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      await deps.access.authorize(request, 'admin');
      const page = await deps.audit.handle({
        type: 'auth.list_audit_events',
        userId: request.params.id,
        ...(request.query.limit !== undefined && { limit: Number(request.query.limit) }),
        ...(request.query.cursor !== undefined && { cursor: request.query.cursor }),
      });
      return {
        items: page.items.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['auth'],
        summary: 'Public keys that verify access tokens',
        security: [],
        response: { 200: JwksSchema },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(deps.keys.jwks()),
  );
}
