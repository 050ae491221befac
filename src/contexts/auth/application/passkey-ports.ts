import type { Passkey } from '../domain/passkeys.js';

/** What the client sends back from `navigator.credentials.create()` / `.get()`, as JSON; checked by the adapter. */
export type WebAuthnResponse = Record<string, unknown>;

/** Options for the browser, and the challenge in them (base64url), to keep until the response comes. */
export interface CeremonyOptions {
  readonly options: Record<string, unknown>;
  readonly challenge: string;
}

/** A credential a registration response proved: what to store. */
export interface RegisteredCredential {
  readonly credentialId: string;
  readonly publicKey: string;
  readonly counter: number;
  readonly transports: readonly string[];
}

/**
 * The WebAuthn ceremonies (W3C WebAuthn Level 3), behind a port: the options a browser takes,
 * and the verification of what it answers (challenge, origin, RP ID, signature). The rules of what
 * is stored, spent and counted are the use cases'.
 */
export interface WebAuthnCeremonies {
  registrationOptions(user: {
    userId: string;
    userName: string;
    exclude: readonly Pick<Passkey, 'credentialId' | 'transports'>[];
  }): Promise<CeremonyOptions>;
  /** Discoverable sign-in options: no allowCredentials, the authenticator offers its passkeys. */
  authenticationOptions(): Promise<CeremonyOptions>;
  /** The challenge a response signed (from its clientDataJSON), and the credential it names; null when unreadable. */
  readResponse(response: WebAuthnResponse): { challenge: string; credentialId: string } | null;
  /** The credential, or null when the response does not verify against `challenge`. */
  verifyRegistration(response: WebAuthnResponse, challenge: string): Promise<RegisteredCredential | null>;
  /** The counter the authenticator presented, or null when the response does not verify. */
  verifyAuthentication(
    response: WebAuthnResponse,
    challenge: string,
    passkey: Pick<Passkey, 'credentialId' | 'publicKey' | 'counter' | 'transports'>,
  ): Promise<{ counter: number } | null>;
}

/** Challenges are kept by digest (the token digest the other challenges use). */
export interface ChallengeDigest {
  digest(challenge: string): string;
}
