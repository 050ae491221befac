import { Type } from 'typebox';

/** Fields of a WebAuthn object the browser takes as is: passed through, whatever the spec adds later. */
const Open = { additionalProperties: true } as const;
const Base64Url = Type.String({ maxLength: 16_384, pattern: '^[A-Za-z0-9_-]*$' });
const Descriptor = Type.Object(
  { id: Type.String(), type: Type.Literal('public-key'), transports: Type.Optional(Type.Array(Type.String())) },
  Open,
);
const Extensions = Type.Optional(Type.Record(Type.String(), Type.Unknown()));

/** `PublicKeyCredentialCreationOptionsJSON` (WebAuthn Level 3): for `PublicKeyCredential.parseCreationOptionsFromJSON()`. */
export const CreationOptionsSchema = Type.Object(
  {
    challenge: Type.String({ description: 'base64url; single use, 5 minutes' }),
    rp: Type.Object({ name: Type.String(), id: Type.String() }, Open),
    user: Type.Object({ id: Type.String(), name: Type.String(), displayName: Type.String() }, Open),
    pubKeyCredParams: Type.Array(Type.Object({ type: Type.Literal('public-key'), alg: Type.Integer() }, Open)),
    timeout: Type.Optional(Type.Integer({ description: 'ms' })),
    excludeCredentials: Type.Array(Descriptor, {
      description: "The user's passkeys: an authenticator with one makes no other",
    }),
    authenticatorSelection: Type.Object(
      {
        residentKey: Type.Literal('required'),
        userVerification: Type.String(),
        requireResidentKey: Type.Optional(Type.Boolean()),
      },
      Open,
    ),
    attestation: Type.Optional(Type.String()),
    extensions: Extensions,
    hints: Type.Optional(Type.Array(Type.String())),
  },
  { ...Open, $id: 'PasskeyCreationOptions', description: 'Options for navigator.credentials.create()' },
);

/** `PublicKeyCredentialRequestOptionsJSON`: no allowCredentials, the authenticator offers its passkeys. */
export const RequestOptionsSchema = Type.Object(
  {
    challenge: Type.String({ description: 'base64url; single use, 5 minutes' }),
    rpId: Type.String(),
    allowCredentials: Type.Array(Descriptor, { maxItems: 0, description: 'Empty: discoverable credentials' }),
    timeout: Type.Optional(Type.Integer({ description: 'ms' })),
    userVerification: Type.Optional(Type.String()),
    extensions: Extensions,
    hints: Type.Optional(Type.Array(Type.String())),
  },
  { ...Open, $id: 'PasskeyRequestOptions', description: 'Options for navigator.credentials.get()' },
);

/** What `PublicKeyCredential.toJSON()` gives (RegistrationResponseJSON / AuthenticationResponseJSON). */
const CredentialJson = Type.Object(
  {
    id: Base64Url,
    rawId: Base64Url,
    type: Type.Literal('public-key'),
    response: Type.Object({ clientDataJSON: Base64Url }, Open),
    clientExtensionResults: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    authenticatorAttachment: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { ...Open, description: "The browser's PublicKeyCredential, as its toJSON() gives it" },
);

export const RegisterPasskeyBody = Type.Object(
  {
    response: CredentialJson,
    name: Type.Optional(Type.String({ maxLength: 100, description: 'A label for the list; a dated default' })),
  },
  { additionalProperties: false },
);

export const PasskeyAuthenticationOptionsBody = Type.Optional(
  Type.Object(
    { email: Type.Optional(Type.String({ maxLength: 320, description: 'Accepted; the answer never depends on it' })) },
    { additionalProperties: false },
  ),
);

export const PasskeyAuthenticationBody = Type.Object({ response: CredentialJson }, { additionalProperties: false });

export const RegisteredPasskeySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const PasskeyListSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({
        id: Type.String({ format: 'uuid' }),
        name: Type.String(),
        createdAt: Type.String({ format: 'date-time' }),
        lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
          description: 'The latest sign-in with it; null: never used',
        }),
      }),
    ),
  },
  { $id: 'PasskeyList' },
);
