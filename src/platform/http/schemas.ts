import { Type } from 'typebox';

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 9457 problem details' },
);

export const AcceptedSchema = Type.Object({
  commandId: Type.String({ format: 'uuid' }),
  status: Type.Literal('pending'),
  resourceId: Type.String({ format: 'uuid' }),
});

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

/** The problems every authenticated read can answer. */
export const ReadProblems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/** The problems every command-sending write can answer, beyond a read's. */
export const WriteProblems = {
  ...ReadProblems,
  409: ProblemSchema,
  412: ProblemSchema,
  422: ProblemSchema,
  503: ProblemSchema,
};
