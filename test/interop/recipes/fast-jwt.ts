import { createVerifier, type DecodedJwt } from 'fast-jwt';
import buildGetJwks from 'get-jwks';
import { failure, type Recipe } from './recipe.js';

/** get-jwks's README, "fast-jwt": a verifier whose key is `getJwks.getPublicKey` for the issuer's domain. */
export const fastJwt: Recipe = {
  library: 'fast-jwt + get-jwks',
  algorithms: ['RS256', 'ES256'],
  movableClock: true,
  verify: async (token, { issuer, audience, algorithm, now }) => {
    const domain = issuer;
    const getJwks = buildGetJwks({ issuersWhitelist: [issuer] });
    const verifyWithPromise = createVerifier({
      key: async ({ header }: DecodedJwt) => getJwks.getPublicKey({ kid: header.kid, alg: header.alg, domain }),
      allowedIss: issuer,
      allowedAud: audience,
      algorithms: [algorithm],
      ...(now && { clockTimestamp: now.getTime() }),
    });
    try {
      const payload = (await verifyWithPromise(token)) as { sub: string };
      return { sub: payload.sub };
    } catch (error) {
      return failure(error);
    }
  },
};
