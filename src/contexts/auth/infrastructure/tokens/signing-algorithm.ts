import { generateKeyPair, type GenerateKeyPairOptions, type GenerateKeyPairResult } from 'jose';

/**
 * The algorithms access tokens may be signed with (`JWT_ALGORITHM`). RS256 is the default because
 * every JWT library verifies it; EdDSA keys (`kty: "OKP"`) are refused by jsonwebtoken, express-jwt,
 * passport-jwt and get-jwks.
 */
export const SIGNING_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export const DEFAULT_SIGNING_ALGORITHM: SigningAlgorithm = 'RS256';

const KEY_PAIRS: Record<SigningAlgorithm, GenerateKeyPairOptions> = {
  RS256: { modulusLength: 2048 },
  ES256: { crv: 'P-256' },
  EdDSA: { crv: 'Ed25519' },
};

/** A new key pair for `algorithm`, its private half extractable so it can be stored. */
export function generateSigningKeyPair(algorithm: SigningAlgorithm): Promise<GenerateKeyPairResult> {
  return generateKeyPair(algorithm, { ...KEY_PAIRS[algorithm], extractable: true });
}
