import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { AccessTokenIssuer } from '../../application/auth-ports.js';
import { SIGNING_ALGORITHM, type SigningKeyStore } from './signing-key-store.js';

export interface AccessTokenClaims {
  readonly userId: string;
  readonly sessionId: string;
  readonly roles: readonly string[];
}

export interface TokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly lifetimeSeconds: number;
}

export class InvalidAccessTokenError extends Error {
  override readonly name = 'InvalidAccessTokenError';
}

/**
 * EdDSA JWTs via jose. Verification pins the algorithm (so `alg: none` and HS256-with-the-public-key
 * tricks fail), requires `kid`, and checks `iss`, `aud` and `exp`.
 */
export class JoseAccessTokens implements AccessTokenIssuer {
  constructor(
    private readonly keys: SigningKeyStore,
    private readonly settings: TokenSettings,
  ) {}

  get lifetimeSeconds(): number {
    return this.settings.lifetimeSeconds;
  }

  async issue(claims: AccessTokenClaims): Promise<string> {
    const key = this.keys.current();
    return new SignJWT({ sid: claims.sessionId, roles: [...claims.roles] })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(claims.userId)
      .setIssuedAt()
      .setExpirationTime(`${this.settings.lifetimeSeconds}s`)
      .setJti(randomUUID())
      .sign(key.key);
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        async (header) => {
          if (!header.kid) throw new InvalidAccessTokenError('the token has no kid');
          const key = await this.keys.verificationKey(header.kid);
          if (!key) throw new InvalidAccessTokenError('the token was signed by an unknown key');
          return key;
        },
        { algorithms: [SIGNING_ALGORITHM], issuer: this.settings.issuer, audience: this.settings.audience },
      ));
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw error;
      if (error instanceof errors.JOSEError) throw new InvalidAccessTokenError(error.code, { cause: error });
      throw error;
    }
    const { sub, sid, roles } = payload as JWTPayload & { sid?: unknown; roles?: unknown };
    if (typeof sub !== 'string' || typeof sid !== 'string' || !Array.isArray(roles)) {
      throw new InvalidAccessTokenError('the token lacks sub, sid or roles');
    }
    return { userId: sub, sessionId: sid, roles: roles.filter((r): r is string => typeof r === 'string') };
  }
}
