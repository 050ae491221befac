import Fastify from 'fastify';
import { describe, expect, it, vi } from 'vitest';

/** Every ajv compiler @fastify/ajv-compiler is asked for, by whether it coerces (the query string's). */
const made = vi.hoisted(() => ({ strict: 0, coercing: 0 }));
vi.mock('@fastify/ajv-compiler', async (importOriginal) => {
  const real = (await importOriginal<{ default: (...args: unknown[]) => unknown }>()).default;
  const counting = (...args: unknown[]) => {
    const fromPool = real(...args) as (
      external: unknown,
      options: { customOptions?: { coerceTypes?: unknown } },
    ) => unknown;
    return (external: unknown, options: { customOptions?: { coerceTypes?: unknown } }) => {
      if (options.customOptions?.coerceTypes) made.coercing += 1;
      else made.strict += 1;
      return fromPool(external, options);
    };
  };
  return { default: Object.assign(counting, real) };
});

const { buildValidator, STRICT_AJV } = await import('../../../src/platform/http/validation.js');

function serverWith(routes: { url: string; query: boolean }[]) {
  const app = Fastify({ ajv: STRICT_AJV, schemaController: { compilersFactory: { buildValidator } } });
  for (const { url, query } of routes) {
    app.post(url, {
      schema: {
        body: { type: 'object', properties: { name: { type: 'string' } } },
        ...(query && { querystring: { type: 'object', properties: { limit: { type: 'integer' } } } }),
      },
      handler: async (request) => ({ query: request.query }),
    });
  }
  return app;
}

describe('the server’s validators', () => {
  it('make the query-string compiler only for a route that checks a query string', async () => {
    made.strict = 0;
    made.coercing = 0;
    const bodyOnly = serverWith([{ url: '/things', query: false }]);
    await bodyOnly.ready();
    expect(made).toEqual({ strict: 1, coercing: 0 });

    const withQuery = serverWith([{ url: '/things', query: true }]);
    await withQuery.ready();
    expect(made).toEqual({ strict: 2, coercing: 1 });
    const answer = await withQuery.inject({ method: 'POST', url: '/things?limit=5', payload: { name: 'a' } });
    expect(answer.json()).toEqual({ query: { limit: 5 } });
  });

  it('check a body as sent and read a query string as its schema says', async () => {
    const app = serverWith([{ url: '/things', query: true }]);
    const coerced = await app.inject({ method: 'POST', url: '/things?limit=abc', payload: { name: 'a' } });
    expect(coerced.statusCode).toBe(400);
    const asSent = await app.inject({ method: 'POST', url: '/things', payload: { name: 1 } });
    expect(asSent.statusCode).toBe(400);
  });
});
