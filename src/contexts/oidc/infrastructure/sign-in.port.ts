import type { JWK } from 'jose';

/** Where a sign-in on a hosted page stands after one step. */
export type SignInStep =
  | { readonly kind: 'signed-in'; readonly userId: string; readonly sessionId: string; readonly amr: readonly string[] }
  | { readonly kind: 'second-factor'; readonly mfaToken: string; readonly methods: readonly string[] }
  | { readonly kind: 'refused'; readonly code: string; readonly retryAfterSeconds?: number };

/**
 * What the OpenID provider needs from the context that signs people in (auth provides the
 * adapter, infrastructure/hosted-sign-in.ts there): the API's own sign-in, ending in an ordinary
 * Portico session whose id the provider keeps. Logout, revocation, lockout and second factors then
 * hold for OIDC exactly as for the REST API, because they are the same code and the same session.
 */
export interface SignIn {
  password(form: { email: string; password: string; ip: string; userAgent?: string }): Promise<SignInStep>;
  /** A TOTP code, or a recovery code, for the challenge the password step opened. */
  secondFactor(form: { mfaToken: string; code: string; ip: string; userAgent?: string }): Promise<SignInStep>;
  /** A WebAuthn challenge for a discoverable passkey (the same answer whoever asks). */
  passkeyOptions(client: { ip: string }): Promise<unknown>;
  /** The browser's answer to that challenge: a sign-in with `amr: ["hwk"]`, or a refusal. */
  passkey(form: { response: unknown; ip: string; userAgent?: string }): Promise<SignInStep>;
  /** Whether the Portico session still holds (not ended, revoked or expired). */
  isActive(sessionId: string): Promise<boolean>;
  /** Ends the Portico session, as a logout does. */
  end(sessionId: string): Promise<void>;
  /** The signing keys with their private parts, the signing one first, and what identifies the set. */
  signingKeys(): { keys: JWK[]; fingerprint: string };
}

/** A user's profile as the OpenID claims are made from it (the users context's read model). */
export interface AccountProfile {
  readonly id: string;
  readonly email: string;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly status: 'active' | 'deactivated';
  readonly emailVerified: boolean;
  readonly locale?: string;
  readonly updatedAt: string;
}

export interface AccountProfiles {
  find(userId: string): Promise<{ body: unknown } | null>;
}
