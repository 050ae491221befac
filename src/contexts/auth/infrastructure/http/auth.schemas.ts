import { Type } from 'typebox';

export const LoginBody = Type.Object(
  {
    email: Type.String({ maxLength: 320, examples: ['ada@example.com'] }),
    password: Type.String({ maxLength: 1024, format: 'password' }),
  },
  { additionalProperties: false },
);

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const LogoutBody = Type.Optional(
  Type.Object({ refreshToken: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
);

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ maxLength: 1024, format: 'password' }),
    newPassword: Type.String({ maxLength: 1024, format: 'password' }),
  },
  { additionalProperties: false },
);

export const TokensSchema = Type.Object(
  {
    accessToken: Type.String(),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'seconds' }),
    refreshToken: Type.String(),
    refreshExpiresIn: Type.Integer({ description: 'seconds' }),
  },
  { $id: 'Tokens', description: 'An access token and the refresh token of its session' },
);

export const JwksSchema = Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) });

export const AuditQuerystring = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Page size, default 50' })),
    cursor: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const AuditPageSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      type: Type.String({ examples: ['auth.login.succeeded'] }),
      occurredAt: Type.String({ format: 'date-time' }),
      sessionId: Type.Union([Type.String(), Type.Null()]),
      reason: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const SessionListSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        id: Type.String({ format: 'uuid' }),
        createdAt: Type.String({ format: 'date-time' }),
        lastUsedAt: Type.String({ format: 'date-time', description: 'The sign-in, or the latest refresh' }),
        userAgent: Type.Union([Type.String(), Type.Null()], { description: 'As the client sent it at sign-in' }),
        ip: Type.Union([Type.String(), Type.Null()]),
        mfa: Type.Boolean({ description: 'A second factor was part of the sign-in' }),
        current: Type.Boolean({ description: "The session of the caller's access token" }),
      }),
    ),
  },
  { $id: 'SessionList' },
);

export const EndSessionsQuerystring = Type.Object(
  { others: Type.Literal(true, { description: 'Must be `true`: every session but this one ends' }) },
  { additionalProperties: false },
);

export const MfaRequiredSchema = Type.Object(
  {
    mfaRequired: Type.Literal(true),
    mfaToken: Type.String({ description: 'Send it to /api/v1/auth/login/mfa with a code; single use, 5 minutes' }),
    methods: Type.Array(Type.Union([Type.Literal('totp'), Type.Literal('recovery_code'), Type.Literal('passkey')])),
  },
  { $id: 'MfaRequired', description: 'The password was right; the account asks for its second factor' },
);

const MfaToken = Type.String({ minLength: 1, maxLength: 200 });

export const LoginMfaBody = Type.Union([
  Type.Object(
    { mfaToken: MfaToken, code: Type.String({ maxLength: 16, examples: ['123456'] }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { mfaToken: MfaToken, recoveryCode: Type.String({ maxLength: 64, examples: ['k7q2-9xmd-r4tp-w8nc'] }) },
    { additionalProperties: false },
  ),
]);

export const ConfirmTotpBody = Type.Object(
  { code: Type.String({ maxLength: 16, description: 'A code the authenticator app shows now' }) },
  { additionalProperties: false },
);

export const TotpEnrolmentSchema = Type.Object({
  secret: Type.String({ description: 'Base32, for typing into an authenticator app' }),
  otpauthUri: Type.String({ description: 'The same secret as an `otpauth://totp/…` URI, for a QR code' }),
});

export const RecoveryCodesSchema = Type.Object({
  recoveryCodes: Type.Array(Type.String(), {
    minItems: 10,
    maxItems: 10,
    description: 'Shown this once: each signs in once instead of a TOTP code',
  }),
});
