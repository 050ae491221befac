import type { FastifyInstance } from 'fastify';
import { Type, type Static, type TSchema, type TUnsafe } from 'typebox';

// Shared components: each is added to the server once (`share`) and referenced by `$ref` wherever
// a route uses it, so OpenAPI lists it once under `components.schemas.<$id>`.

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ examples: ['/problems/validation-failed'] }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    code: Type.String({ description: 'Stable and machine-readable: see the problem catalogue' }),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

export const AcceptedSchema = Type.Object(
  {
    commandId: Type.String({ format: 'uuid' }),
    status: Type.Literal('pending'),
    resourceId: Type.String({ format: 'uuid' }),
  },
  { $id: 'Accepted', description: 'A command stored durably; `Location` is where its status is read' },
);

// A `$ref` carries the schema it points to, so a route that uses one can add that schema itself.
const POINTS_TO = Symbol('the shared schema of a $ref');

/** A `$ref` to a shared schema (one with an `$id`), typed as the schema itself. */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  return Object.defineProperty(Type.Unsafe<Static<T>>({ $ref: `${idOf(schema)}#` }), POINTS_TO, { value: schema });
}

function idOf(schema: TSchema): string {
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string') throw new Error('a shared schema needs an $id');
  return id;
}

type SchemaRegistry = Pick<FastifyInstance, 'getSchema' | 'addSchema'>;

/** Adds shared schemas to the server, once each. */
export function share(app: SchemaRegistry, ...schemas: TSchema[]): void {
  for (const schema of schemas) if (!app.getSchema(idOf(schema))) app.addSchema(schema);
}

/** Adds every shared schema that `schema` (a route's, say) refers to by `ref`, at any depth. */
export function shareReferenced(app: SchemaRegistry, schema: unknown): void {
  if (typeof schema !== 'object' || schema === null) return;
  const target = (schema as { [POINTS_TO]?: TSchema })[POINTS_TO];
  if (target && !app.getSchema(idOf(target))) {
    app.addSchema(target);
    shareReferenced(app, target);
  }
  for (const value of Object.values(schema)) shareReferenced(app, value);
}

export const ProblemRef = ref(ProblemSchema);
export const AcceptedRef = ref(AcceptedSchema);

/** The headers routes declare, each an OpenAPI `components.headers` entry (openapi.ts adds those of every answer). */
export const RESPONSE_HEADERS = {
  Location: {
    description: 'On 202 the command status (`/api/v1/commands/{commandId}`); on 201 the new resource',
    required: true,
    schema: { type: 'string', format: 'uri-reference' },
  },
  ETag: {
    description: 'The version as a strong tag, `"<version>"`: send it back as `If-Match`',
    required: true,
    schema: { type: 'string', pattern: '^"[0-9]+"$' },
  },
  'Preference-Applied': {
    description: 'The `Prefer: wait=N` this answer honoured (N at most 30)',
    required: true,
    schema: { type: 'string', pattern: '^wait=[0-9]+$' },
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    required: true,
    schema: { type: 'integer', minimum: 0 },
  },
  'WWW-Authenticate': {
    description: 'The scheme, `Bearer` (RFC 6750); with `error="invalid_token"` when the token itself was refused',
    required: true,
    schema: { type: 'string', pattern: '^Bearer( |$)' },
  },
} as const;

type HeaderName = keyof typeof RESPONSE_HEADERS;
/** A header the response always carries (its name), or only on some answers (`sometimes(name)`). */
type HeaderSpec = HeaderName | { readonly sometimes: HeaderName };

export const sometimes = (name: HeaderName): HeaderSpec => ({ sometimes: name });

/** Always-sent headers by `$ref` (the OpenAPI registration unwraps them); the others inline, optional. */
function headerObjects(specs: readonly HeaderSpec[]): Record<string, object> {
  return Object.fromEntries(
    specs.map((spec) => {
      if (typeof spec === 'string') return [spec, { $ref: `#/components/headers/${spec}` }];
      const { description, schema } = RESPONSE_HEADERS[spec.sometimes];
      return [spec.sometimes, { ...schema, description: `${description} (on some of these answers)` }];
    }),
  );
}

/** A response with a body of `mediaType`, described, with its headers. */
export function answer<T extends TSchema>(mediaType: string, description: string, schema: T, ...headers: HeaderSpec[]) {
  return { description, headers: headerObjects(headers), content: { [mediaType]: { schema } } };
}

/** A JSON response (`application/json`). */
export function json<T extends TSchema>(description: string, schema: T, ...headers: HeaderSpec[]) {
  return answer('application/json', description, schema, ...headers);
}

/** A response without a body (204). */
export function noContent(description: string, ...headers: HeaderSpec[]) {
  return { type: 'null', description, headers: headerObjects(headers) } as const;
}

/** An error: RFC 9457 problem details as `application/problem+json`. */
export function problem(description: string, ...headers: HeaderSpec[]) {
  return answer('application/problem+json', description, ProblemRef, ...headers);
}

export const Problems = {
  validation: problem('`validation_failed`: a field, parameter or header breaks a rule (`errors[]` names it)'),
  unauthorized: problem(
    '`unauthorized`: no bearer token, or one that is not valid (`WWW-Authenticate` says which)',
    'WWW-Authenticate',
  ),
  forbidden: problem("`forbidden`: the caller's roles do not allow this"),
  notFound: problem('`not_found`'),
  rateLimited: problem('`rate_limited`: too many attempts; retry after `Retry-After`', 'Retry-After'),
  unavailable: problem(
    '`service_unavailable`: the database or the command queue cannot be reached; retry after `Retry-After`',
    'Retry-After',
  ),
};

/** The refusals of a read that needs a token and checks the caller's roles. */
export const ReadProblems = {
  400: Problems.validation,
  401: Problems.unauthorized,
  403: Problems.forbidden,
  503: Problems.unavailable,
};

// A command's own failure comes back with `Prefer: wait` as its problem, with `Preference-Applied`.
const waited = sometimes('Preference-Applied');

/** The refusals of every command-sending write, beyond the caller's (401/403). */
export const CommandProblems = {
  400: problem('`validation_failed` or `weak_password`: a field breaks a rule (`errors[]` names it)', waited),
  409: problem(
    'A unique value is taken (the command failed), or `idempotency_key_in_use`: the first request with this key still runs',
    waited,
    sometimes('Retry-After'),
  ),
  422: problem('`idempotency_key_reused`: this `Idempotency-Key` was used with another request'),
  503: Problems.unavailable,
};

/** The refusals of a command-sending write by an authenticated caller. */
export const WriteProblems = { ...CommandProblems, 401: Problems.unauthorized, 403: Problems.forbidden };

/** The refusals of a write on one existing resource: a write's, and 404 and 412. */
export const ResourceWriteProblems = {
  ...WriteProblems,
  404: problem('`not_found`: no such resource', waited),
  412: problem('`version_conflict`: `If-Match` names another version than the current one', waited),
};

/** 202: the command is stored; `Location` is where its status is read. */
export const Accepted = json(
  'Accepted: the command is stored; poll `Location` for its status',
  AcceptedRef,
  'Location',
);

/** The answer to `Prefer: wait=N` once the command is done and the read model shows it. */
export function done<T extends TSchema>(description: string, schema: T, ...headers: HeaderSpec[]) {
  return json(`${description} (with \`Prefer: wait\`)`, schema, 'Preference-Applied', ...headers);
}

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Headers every write understands; documented once, in OpenAPI. */
export const WriteHeaders = Type.Object({
  prefer: Type.Optional(Type.String({ description: '`wait=N` (1–30): answer with the result instead of 202' })),
  'idempotency-key': Type.Optional(Type.String({ description: '1–255 printable ASCII; repeats get the first answer' })),
});

/** A write on one existing resource: the write headers and RFC 9110 `If-Match`. */
export const ConditionalWriteHeaders = Type.Object({
  ...WriteHeaders.properties,
  'if-match': Type.Optional(
    Type.String({ description: '`*`, or the ETag(s) of GET, like `"3"`; a weak tag never matches (RFC 9110)' }),
  ),
});
