import { Type } from 'typebox';
import { json } from './schemas.js';
import type { HttpServer } from './server.js';

export interface ReadinessCheck {
  readonly name: string;
  readonly check: () => Promise<void>;
}

const Status = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
});

/** `/health` says the process runs; `/ready` says it can do its work (database, transport). */
export function registerOperationsRoutes(app: HttpServer, checks: readonly ReadinessCheck[]): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness',
        security: [],
        response: { 200: json('The process runs', Status) },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness',
        security: [],
        response: {
          200: json('The database and the transport answer', Status),
          503: json('A check failed or took over 2 s: `checks` says which', Status),
        },
      },
    },
    async (_request, reply) => {
      const results = await Promise.all(
        checks.map(async ({ name, check }) => {
          try {
            await withTimeout(check(), 2_000);
            return [name, 'ok'] as const;
          } catch (error) {
            return [name, `failing: ${error instanceof Error ? error.message : String(error)}`] as const;
          }
        }),
      );
      const ready = results.every(([, state]) => state === 'ok');
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) });
    },
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
