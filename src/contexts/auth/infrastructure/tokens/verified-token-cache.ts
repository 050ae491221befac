import { decodeJwt } from 'jose';
import { LRUCache } from 'lru-cache';
import type { VerifiedClaims } from './jose-access-tokens.js';

export interface AccessTokenVerifier {
  verify(token: string): Promise<VerifiedClaims>;
}

export interface VerifiedTokenCacheOptions {
  /** How many verified tokens are remembered at most (the least recently used go first). */
  readonly maxTokens?: number;
  /**
   * How long a verification is trusted before the signature is checked again, whatever the
   * token's `exp`: bounds how long a token of a signing key removed in an emergency still works.
   */
  readonly maxAgeMs?: number;
}

/**
 * Remembers tokens whose signature and claims were verified, until their `exp` (or `maxAgeMs`),
 * so a client presenting its access token again costs a map lookup instead of a signature check
 * (an RS256 verify was ~15 % of a read's CPU). Only successes are kept: a forged or expired
 * token is verified, and refused, every time. Revocation is not cached here: the caller checks
 * the session on every request.
 */
export class VerifiedTokenCache implements AccessTokenVerifier {
  private readonly verified: LRUCache<string, VerifiedClaims>;
  private readonly maxAgeMs: number;

  constructor(
    private readonly inner: AccessTokenVerifier,
    options: VerifiedTokenCacheOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.verified = new LRUCache({ max: options.maxTokens ?? 10_000, ttlAutopurge: false });
  }

  async verify(token: string): Promise<VerifiedClaims> {
    const known = this.verified.get(token);
    if (known) return known;
    const claims = await this.inner.verify(token);
    const untilExpiry = decodeJwt(token).exp! * 1000 - Date.now();
    const ttl = Math.min(untilExpiry, this.maxAgeMs);
    if (ttl > 0) this.verified.set(token, claims, { ttl });
    return claims;
  }
}
