import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { serializerOnFirstUse, validatorOnFirstUse } from '../../../src/platform/http/compiled-on-first-use.js';
import { buildValidator, STRICT_AJV } from '../../../src/platform/http/validation.js';

/** The server's compilers, with its options, counting what they compile. */
function countingServer() {
  const compiled = { validators: 0, serializers: 0, compilers: 0 };
  const counting: typeof buildValidator = (external, options) => {
    compiled.compilers += 1;
    const compilerOf = buildValidator(external, options);
    return (route) => ((compiled.validators += 1), compilerOf(route));
  };
  const serializers = SerializerSelector();
  const countingSerializers: typeof serializers = (external, options) => {
    compiled.compilers += 1;
    const compilerOf = serializers(external, options);
    return (route) => ((compiled.serializers += 1), compilerOf(route));
  };
  const app = Fastify({
    ajv: STRICT_AJV,
    schemaController: {
      compilersFactory: {
        buildValidator: validatorOnFirstUse(counting),
        buildSerializer: serializerOnFirstUse(countingSerializers),
      },
    },
  });
  app.post('/things', {
    schema: {
      body: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: { name: { type: 'string' } },
      },
      querystring: { type: 'object', properties: { limit: { type: 'integer', default: 20 } } },
      response: { 200: { type: 'object', properties: { name: { type: 'string' }, limit: { type: 'integer' } } } },
    },
    handler: async (request) => ({ ...(request.body as object), ...(request.query as object), secret: 'not declared' }),
  });
  return { app, compiled };
}

describe('validators and serializers compiled on first use', () => {
  it('compiles nothing at start, and a route once, at its first request', async () => {
    const { app, compiled } = countingServer();
    await app.ready();
    expect(compiled).toEqual({ validators: 0, serializers: 0, compilers: 0 });
    await app.inject({ method: 'POST', url: '/things', payload: { name: 'a' } });
    await app.inject({ method: 'POST', url: '/things', payload: { name: 'b' } });
    // The body and the query string: one compilation each, however many requests.
    expect(compiled.validators).toBe(2);
    // One validator compiler and one serializer compiler, made at the first request.
    expect(compiled.compilers).toBe(2);
  });

  it('refuses what the schema refuses, with the compiled validator’s errors', async () => {
    const { app } = countingServer();
    const response = await app.inject({ method: 'POST', url: '/things', payload: { name: 1, extra: true } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/body\/name must be string|must NOT have additional properties/);
    const missing = await app.inject({ method: 'POST', url: '/things', payload: {} });
    expect(missing.json().message).toMatch(/must have required property 'name'/);
  });

  it('applies defaults and reads a query string as its schema says', async () => {
    const { app } = countingServer();
    const defaulted = await app.inject({ method: 'POST', url: '/things', payload: { name: 'a' } });
    expect(defaulted.json()).toEqual({ name: 'a', limit: 20 });
    const given = await app.inject({ method: 'POST', url: '/things?limit=5', payload: { name: 'a' } });
    expect(given.json()).toEqual({ name: 'a', limit: 5 });
    const wrong = await app.inject({ method: 'POST', url: '/things?limit=abc', payload: { name: 'a' } });
    expect(wrong.statusCode).toBe(400);
  });

  it('writes answers through the response schema: what it does not declare stays out', async () => {
    const { app, compiled } = countingServer();
    await app.ready();
    expect(compiled.serializers).toBe(0);
    const response = await app.inject({ method: 'POST', url: '/things', payload: { name: 'a' } });
    await app.inject({ method: 'POST', url: '/things', payload: { name: 'b' } });
    expect(response.body).toBe('{"name":"a","limit":20}');
    expect(compiled.serializers).toBe(1);
  });
});
