import type AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';

/**
 * Fastify compiles every route's validators and serializers at start: about half a second of a
 * start on two cores, and the memory of code for routes a process may never be asked for. Here
 * each one is compiled the first time its route needs it, by the same compilers, with the same
 * options; a route's first request pays its few milliseconds. The compilers themselves (an ajv
 * instance holding every shared schema costs ~80 ms to make) are made at the first compile too.
 */

/** `make()` called once, when first asked for. */
export function madeOnFirstUse<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

type BuildValidator = AjvCompiler.BuildCompilerFromPool;
type Validate = ReturnType<ReturnType<BuildValidator>>;
type BuildSerializer = ReturnType<typeof SerializerSelector>;

/** A validator compiled at its first call; it answers and reports its errors as the compiled one does. */
export function validatorOnFirstUse(build: BuildValidator): BuildValidator {
  return (externalSchemas, options) => {
    const compilerOf = madeOnFirstUse(() => build(externalSchemas, options));
    return (route) => {
      let compiled: Validate | undefined;
      const validate = (data: unknown, context?: unknown) => {
        compiled ??= compilerOf()(route);
        const valid = (compiled as (data: unknown, context?: unknown) => unknown)(data, context);
        validate.errors = (compiled as { errors?: unknown }).errors ?? null;
        return valid;
      };
      validate.errors = null as unknown;
      // Fastify hands an ajv validator the request as the parent of the value it checks (so that
      // defaults can be applied to it), when the function says it is one.
      validate.schemaEnv = true;
      return validate as unknown as Validate;
    };
  };
}

/** Fastify's serializer (fast-json-stringify), compiled at the first answer it writes. */
export function serializerOnFirstUse(build: BuildSerializer = SerializerSelector()): BuildSerializer {
  return (externalSchemas, options) => {
    const compilerOf = madeOnFirstUse(() => build(externalSchemas, options));
    return (route) => {
      let compiled: ((data: unknown) => string) | undefined;
      return (data: unknown) => (compiled ??= compilerOf()(route))(data);
    };
  };
}
