import AjvCompiler from '@fastify/ajv-compiler';
import { madeOnFirstUse } from './compiled-on-first-use.js';

type BuildValidator = AjvCompiler.BuildCompilerFromPool;

const fromPool = AjvCompiler();

/** What the server's ajv does everywhere: no silently dropped fields, all errors at once, no coercion. */
export const STRICT_AJV = {
  customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: true },
} as const;

/**
 * Bodies, path parameters and headers are checked as sent: a number sent as a string is a 400.
 * A query string is text by nature, so `?limit=20` is read as the integer its schema says (and
 * `?limit=abc` is still a 400).
 */
export const buildValidator: BuildValidator = (externalSchemas, options = STRICT_AJV) => {
  const strict = fromPool(externalSchemas, options);
  // Its own ajv instance, made only once a route checks a query string.
  const forQuery = madeOnFirstUse(() =>
    fromPool(externalSchemas, {
      ...options,
      customOptions: { ...options.customOptions, coerceTypes: 'array' },
    } as typeof options),
  );
  return (route) => (route.httpPart === 'querystring' ? forQuery() : strict)(route);
};
