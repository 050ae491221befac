import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type CryptoKey, type CompactJWSHeaderParameters, type JWTPayload } from 'jose';
import type { AccessTokenClaims, AccessTokenIssuer } from '../../application/auth-ports.js';
import type { AuthenticationMethod } from '../../domain/session.js';
import { SIGNING_ALGORITHMS } from './signing-algorithm.js';
import type { SigningKeyStore } from './signing-key-store.js';

/** What a verified token says; `authTime` is null on tokens signed before `auth_time` existed. */
export interface VerifiedClaims extends Omit<AccessTokenClaims, 'authTime'> {
  readonly authTime: Date | null;
}

const METHODS: readonly string[] = ['pwd', 'otp', 'hwk'] satisfies AuthenticationMethod[];

export interface TokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly lifetimeSeconds: number;
}

export class InvalidAccessTokenError extends Error {
  override readonly name = 'InvalidAccessTokenError';
}

/** RFC 9068's media type of JWT access tokens, in the `typ` header. */
const ACCESS_TOKEN_TYPE = 'at+jwt';

/**
 * RFC 9068 access tokens via jose, signed by the newest key with its own algorithm. Verification
 * requires `kid` and accepts each key only with the algorithm stored beside it (so `alg: none`,
 * HS256-with-the-public-key and cross-algorithm tricks fail), requires `typ: "at+jwt"` and checks
 * `iss`, `aud` and `exp`.
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
    const authTime = Math.floor(claims.authTime.getTime() / 1000);
    return new SignJWT({ sid: claims.sessionId, roles: [...claims.roles], amr: [...claims.amr], auth_time: authTime })
      .setProtectedHeader({ alg: key.algorithm, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(claims.userId)
      .setIssuedAt()
      .setExpirationTime(`${this.settings.lifetimeSeconds}s`)
      .setJti(randomUUID())
      .sign(key.key);
  }

  async verify(token: string): Promise<VerifiedClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.keyFor(header), {
        algorithms: [...SIGNING_ALGORITHMS],
        typ: ACCESS_TOKEN_TYPE,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw error;
      if (error instanceof errors.JOSEError) throw new InvalidAccessTokenError(error.code, { cause: error });
      throw error;
    }
    const { sub, sid, roles, amr, auth_time } = payload as JWTPayload & Record<string, unknown>;
    if (typeof sub !== 'string' || typeof sid !== 'string' || !Array.isArray(roles)) {
      throw new InvalidAccessTokenError('the token lacks sub, sid or roles');
    }
    return {
      userId: sub,
      sessionId: sid,
      roles: roles.filter((r): r is string => typeof r === 'string'),
      // Tokens from before `amr` existed came from password sign-ins.
      amr: Array.isArray(amr) ? amr.filter((m): m is AuthenticationMethod => METHODS.includes(m)) : ['pwd'],
      authTime: typeof auth_time === 'number' ? new Date(auth_time * 1000) : null,
    };
  }

  /** The public key named by `kid`, provided the token claims that key's own algorithm. */
  private async keyFor(header: CompactJWSHeaderParameters): Promise<CryptoKey> {
    if (!header.kid) throw new InvalidAccessTokenError('the token has no kid');
    const key = await this.keys.verificationKey(header.kid);
    if (!key) throw new InvalidAccessTokenError('the token was signed by an unknown key');
    if (header.alg !== key.algorithm)
      throw new InvalidAccessTokenError(`key ${key.kid} verifies ${key.algorithm} only`);
    return key.key;
  }
}
