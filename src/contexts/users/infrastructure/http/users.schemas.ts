import { Type } from 'typebox';
import { Accepted, done, ref, ResourceWriteProblems } from '../../../../platform/http/schemas.js';

// Transport-level shape only: types, lengths that bound work, no unknown fields. The domain's
// value objects apply the real rules and report them with field names.
const Email = Type.String({ maxLength: 320, examples: ['ada@example.com'] });
const Username = Type.String({ maxLength: 64, examples: ['ada'] });
const Name = Type.String({ maxLength: 400, examples: ['Ada'] });
const Password = Type.String({ maxLength: 1024, format: 'password', examples: ['correct horse battery staple'] });
const Locale = Type.Union([Type.Literal('en'), Type.Literal('es')], {
  description: 'The language of the mails the user gets; default `en`',
});

export const CreateUserBody = Type.Object(
  {
    email: Email,
    username: Username,
    firstName: Name,
    lastName: Name,
    password: Password,
    roles: Type.Optional(Type.Array(Type.Union([Type.Literal('user'), Type.Literal('admin')]), { maxItems: 2 })),
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false },
);

/** Self sign-up: the same fields, minus roles (a new account is always `user`). */
export const RegisterBody = Type.Object(
  {
    email: Email,
    username: Username,
    firstName: Name,
    lastName: Name,
    password: Password,
    locale: Type.Optional(Locale),
  },
  { additionalProperties: false },
);

export const UpdateProfileBody = Type.Object(
  {
    firstName: Type.Optional(Name),
    lastName: Type.Optional(Name),
    username: Type.Optional(Username),
  },
  { additionalProperties: false, minProperties: 1 },
);

// PostgreSQL text cannot hold NUL: a filter containing one is refused here instead of failing the query.
const NO_NUL = '^[^\\u0000]*$';

export const ListUsersQuerystring = Type.Object(
  {
    email: Type.Optional(Type.String({ maxLength: 320, pattern: NO_NUL })),
    username: Type.Optional(Type.String({ maxLength: 64, pattern: NO_NUL })),
    q: Type.Optional(Type.String({ maxLength: 200, pattern: NO_NUL })),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('deactivated')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Page size, default 20' })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);

/** The user view: a shared component (`$ref: 'User#'`), added by the routes that answer it. */
export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    username: Type.String(),
    firstName: Type.String(),
    lastName: Type.String(),
    roles: Type.Array(Type.String()),
    status: Type.Union([Type.Literal('active'), Type.Literal('deactivated')]),
    emailVerified: Type.Boolean({ description: 'The owner confirmed the address (or an admin created the account)' }),
    locale: Locale,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    version: Type.Integer(),
  },
  { $id: 'User', description: 'A user; never a password or a hash' },
);

export const UserRef = ref(UserSchema);

/** What a write on one user answers: the user once done (with `Prefer: wait`), else 202; or a refusal. */
export function userWriteResponses(description: string) {
  return { 200: done(description, UserRef), 202: Accepted, ...ResourceWriteProblems };
}

export const UserPageSchema = Type.Object({
  items: Type.Array(UserRef),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
