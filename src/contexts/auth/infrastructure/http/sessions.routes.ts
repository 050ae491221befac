import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { json, noContent, Problems, ref } from '../../../../platform/http/schemas.js';
import type { SessionListItem } from '../../application/list-sessions/list-sessions.handler.js';
import type { RevokeUserSessionsCommand } from '../../application/revoke-user-sessions/revoke-user-sessions.handler.js';
import { adminOfUserRoute } from './guarded-route.js';
import { route, type AuthApi } from '../auth-api.js';
import { ended } from './auth.routes.js';
import { EndSessionsQuerystring, SessionListSchema } from './auth.schemas.js';

const SessionList = json('Live sessions, most recently used first', ref(SessionListSchema));
/** What ending one's own sessions can answer besides 204 (and 404 for one that is not theirs). */
const EndingProblems = { 400: Problems.validation, 401: Problems.unauthorized, 503: Problems.unavailable };
const SessionIdParams = Type.Object({ sessionId: Type.String({ format: 'uuid' }) });

const onTheWire = (items: readonly SessionListItem[]) => ({
  items: items.map((s) => ({ ...s, createdAt: s.createdAt.toISOString(), lastUsedAt: s.lastUsedAt.toISOString() })),
});

const caller = (deps: AuthApi, request: FastifyRequest) =>
  deps.access.authenticate(request.headers.authorization ?? '');

/** Ends the sessions and answers once no API process accepts their tokens. */
async function endSessions(deps: AuthApi, reply: FastifyReply, command: RevokeUserSessionsCommand) {
  return ended(deps, reply, await deps.sessions.revokeAll.handle(command));
}

/** The caller's own live sessions (ASVS 7.5.2), to recognise them. */
export const listOwnSessionsRoute = route({
  method: 'GET',
  url: '/api/v1/auth/sessions',
  schema: {
    summary: 'My live sessions',
    response: { 200: SessionList, 401: Problems.unauthorized, 503: Problems.unavailable },
  },
  handler: (deps) => async (request) => {
    const { id, sessionId } = await caller(deps, request);
    return onTheWire(await deps.sessions.list.handle({ userId: id, currentSessionId: sessionId }));
  },
});

/** Ends one of the caller's sessions; its tokens are refused on every API process once this answers. */
export const endOwnSessionRoute = route({
  method: 'DELETE',
  url: '/api/v1/auth/sessions/:sessionId',
  schema: {
    summary: 'End one of my sessions',
    params: SessionIdParams,
    response: {
      204: noContent("Ended: that session's tokens are refused from this answer on"),
      ...EndingProblems,
      404: Problems.notFound,
    },
  },
  handler: (deps) => async (request, reply) => {
    const { id } = await caller(deps, request);
    await deps.sessions.end.handle({ userId: id, sessionId: request.params.sessionId });
    return ended(deps, reply, [request.params.sessionId]);
  },
});

/** "Sign me out everywhere else": every session of the caller but this one ends. */
export const endOtherSessionsRoute = route({
  method: 'DELETE',
  url: '/api/v1/auth/sessions',
  schema: {
    summary: 'End all my other sessions',
    querystring: EndSessionsQuerystring,
    response: {
      204: noContent('Every other session ended; this one stays signed in'),
      ...EndingProblems,
    },
  },
  handler: (deps) => async (request, reply) => {
    const { id, sessionId } = await caller(deps, request);
    return endSessions(deps, reply, { userId: id, reason: 'ended_by_user', exceptSessionId: sessionId, endedBy: id });
  },
});

/** An admin's view of a user's sessions. */
export const listUserSessionsRoute = adminOfUserRoute({
  method: 'GET',
  url: '/api/v1/users/:id/sessions',
  schema: { summary: "A user's live sessions (admin)", response: { 200: SessionList } },
  handler: async (deps, { userId }) => onTheWire(await deps.sessions.list.handle({ userId })),
});

/** Signs a user out everywhere (audited as ended_by_admin, with the admin's id). */
export const endUserSessionsRoute = adminOfUserRoute({
  method: 'DELETE',
  url: '/api/v1/users/:id/sessions',
  schema: {
    summary: 'End every session of a user (admin; audited as ended_by_admin)',
    response: { 204: noContent('Every session of the user ended; their tokens are refused from this answer on') },
  },
  handler: async (deps, { userId, adminId }, _request, reply) =>
    endSessions(deps, reply, { userId, reason: 'ended_by_admin', endedBy: adminId }),
});
