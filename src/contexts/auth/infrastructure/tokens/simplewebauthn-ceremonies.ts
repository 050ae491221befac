import type * as SimpleWebAuthn from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransport,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type {
  CeremonyOptions,
  RegisteredCredential,
  WebAuthnCeremonies,
  WebAuthnResponse,
} from '../../application/passkey-ports.js';
import type { Passkey } from '../../domain/passkeys.js';
import { PASSKEY_CHALLENGE_LIFETIME_MS } from '../../domain/passkeys.js';

/** WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS, and the name authenticators show. */
export interface WebAuthnSettings {
  readonly rpId: string;
  readonly origins: readonly string[];
  readonly rpName: string;
}

type Credential = Pick<Passkey, 'credentialId' | 'publicKey' | 'counter' | 'transports'>;

let library: Promise<typeof SimpleWebAuthn> | null = null;

/**
 * Loaded at the first ceremony, not at start: the library and its parsers hold about 10 MB of the
 * API's memory, which a deployment whose users have no passkey never needs.
 */
function webauthn(): Promise<typeof SimpleWebAuthn> {
  library ??= import('@simplewebauthn/server');
  return library;
}

/**
 * The ceremonies through `@simplewebauthn/server`. Passkeys are discoverable credentials
 * (residentKey required), so a sign-in needs no email; user verification is preferred, not
 * required (a security key without a PIN still works, as the second factor it is). Attestation is
 * `none`: Portico trusts the key, not its make.
 */
export class SimpleWebAuthnCeremonies implements WebAuthnCeremonies {
  constructor(private readonly settings: WebAuthnSettings) {}

  async registrationOptions(user: {
    userId: string;
    userName: string;
    exclude: readonly Pick<Passkey, 'credentialId' | 'transports'>[];
  }): Promise<CeremonyOptions> {
    const { generateRegistrationOptions } = await webauthn();
    const options = await generateRegistrationOptions({
      rpName: this.settings.rpName,
      rpID: this.settings.rpId,
      userName: user.userName,
      userID: new TextEncoder().encode(user.userId),
      timeout: PASSKEY_CHALLENGE_LIFETIME_MS,
      attestationType: 'none',
      excludeCredentials: user.exclude.map((p) => ({ id: p.credentialId, transports: transportsOf(p) })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
    return { options: { ...options }, challenge: options.challenge };
  }

  async authenticationOptions(): Promise<CeremonyOptions> {
    const { generateAuthenticationOptions } = await webauthn();
    const options = await generateAuthenticationOptions({
      rpID: this.settings.rpId,
      allowCredentials: [],
      timeout: PASSKEY_CHALLENGE_LIFETIME_MS,
      userVerification: 'preferred',
    });
    return { options: { ...options }, challenge: options.challenge };
  }

  readResponse(response: WebAuthnResponse): { challenge: string; credentialId: string } | null {
    const inner = response.response as { clientDataJSON?: unknown } | undefined;
    if (typeof response.id !== 'string' || typeof inner?.clientDataJSON !== 'string') return null;
    try {
      const clientData = JSON.parse(Buffer.from(inner.clientDataJSON, 'base64url').toString('utf8')) as {
        challenge?: unknown;
      };
      if (typeof clientData.challenge !== 'string') return null;
      return { challenge: clientData.challenge, credentialId: response.id };
    } catch {
      return null;
    }
  }

  async verifyRegistration(response: WebAuthnResponse, challenge: string): Promise<RegisteredCredential | null> {
    const { verifyRegistrationResponse } = await webauthn();
    const verified = await refusedAsNull(() =>
      verifyRegistrationResponse({
        response: response as unknown as RegistrationResponseJSON,
        ...this.expected(challenge),
      }),
    );
    if (!verified?.verified) return null;
    const { credential } = verified.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
    };
  }

  async verifyAuthentication(
    response: WebAuthnResponse,
    challenge: string,
    passkey: Credential,
  ): Promise<{ counter: number } | null> {
    const { verifyAuthenticationResponse } = await webauthn();
    const verified = await refusedAsNull(() =>
      verifyAuthenticationResponse({
        response: response as unknown as AuthenticationResponseJSON,
        ...this.expected(challenge),
        credential: {
          id: passkey.credentialId,
          publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
          counter: passkey.counter,
          transports: transportsOf(passkey),
        },
      }),
    );
    return verified?.verified ? { counter: verified.authenticationInfo.newCounter } : null;
  }

  /** What both ceremonies hold a response to: the challenge issued, this relying party, no required user verification. */
  private expected(challenge: string) {
    return {
      expectedChallenge: challenge,
      expectedOrigin: [...this.settings.origins],
      expectedRPID: this.settings.rpId,
      requireUserVerification: false,
    };
  }
}

function transportsOf(passkey: Pick<Passkey, 'transports'>): AuthenticatorTransport[] {
  return [...passkey.transports] as AuthenticatorTransport[];
}

/** The library throws on every refusal (a malformed response included): each is just "does not verify". */
async function refusedAsNull<T>(verify: () => Promise<T>): Promise<T | null> {
  try {
    return await verify();
  } catch {
    return null;
  }
}
