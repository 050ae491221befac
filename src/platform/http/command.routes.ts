import { Type } from 'typebox';
import type { CommandStatusStore } from '../messaging/command-status-store.js';
import { isAdmin, type AccessPolicy } from './access-policy.js';
import { HttpProblemError, type ProblemCatalogue } from './problem.js';
import { json, problem, ProblemRef, Problems } from './schemas.js';
import type { HttpServer } from './server.js';

const CommandStatusSchema = Type.Object({
  commandId: Type.String({ format: 'uuid' }),
  type: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  resourceId: Type.Optional(Type.String()),
  error: Type.Optional(ProblemRef),
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Optional(Type.String({ format: 'date-time' })),
});

export function registerCommandRoutes(
  app: HttpServer,
  statuses: CommandStatusStore,
  access: AccessPolicy,
  problems: ProblemCatalogue,
  /** What must hold everywhere before a command is reported succeeded (the contexts' `settle`). */
  settle: (resourceId: string) => Promise<void>,
): void {
  app.get(
    '/api/v1/commands/:commandId',
    {
      schema: {
        tags: ['commands'],
        summary: 'What became of a command',
        // Anyone may ask: an anonymous caller's own commands (a sign-up's) are still only an admin's to read.
        security: [{}, { bearerAuth: [] }],
        params: Type.Object({ commandId: Type.String({ format: 'uuid' }) }),
        response: {
          200: json('The command status', CommandStatusSchema),
          401: Problems.unauthorized,
          404: problem("`not_found`: no such command, or another caller's"),
          503: Problems.unavailable,
        },
      },
    },
    async (request) => {
      const caller = await access.authorize(request, 'anyone');
      const status = await statuses.find(request.params.commandId);
      // Someone else's command is reported as absent, so ids cannot be probed.
      if (!status || (status.caller !== caller.id && !isAdmin(caller))) {
        throw HttpProblemError.of('not_found', `command ${request.params.commandId} was not found`);
      }
      if (status.status === 'succeeded' && status.resourceId) await settle(status.resourceId);
      return {
        commandId: status.commandId,
        type: status.type,
        status: status.status,
        ...(status.resourceId && { resourceId: status.resourceId }),
        ...(status.error && {
          error: problems.problem(status.error.code, status.error.message, status.error.errors),
        }),
        createdAt: status.createdAt.toISOString(),
        ...(status.completedAt && { completedAt: status.completedAt.toISOString() }),
      };
    },
  );
}
