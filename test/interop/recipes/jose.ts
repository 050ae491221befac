import { createRemoteJWKSet, jwtVerify } from 'jose';
import { failure, type Recipe } from './recipe.js';

/** jose's README: `jwtVerify` against `createRemoteJWKSet`, with RFC 9068's `typ` checked too. */
export const jose: Recipe = {
  library: 'jose',
  algorithms: ['RS256', 'ES256', 'EdDSA'],
  movableClock: true,
  verify: async (token, { jwksUri, issuer, audience, algorithm, now }) => {
    const JWKS = createRemoteJWKSet(new URL(jwksUri));
    try {
      const { payload } = await jwtVerify(token, JWKS, {
        issuer,
        audience,
        algorithms: [algorithm],
        typ: 'at+jwt',
        ...(now && { currentDate: now }),
      });
      return { sub: payload.sub! };
    } catch (error) {
      return failure(error);
    }
  },
};
