import jwt, { type GetPublicKeyOrSecret, type JwtPayload } from 'jsonwebtoken';
import jwksClient from 'jwks-rsa';
import { epochSeconds, failure, type Recipe } from './recipe.js';

/** jsonwebtoken's README: `jwt.verify(token, getKey, options, callback)` with jwks-rsa's `getSigningKey`. */
export const jsonwebtoken: Recipe = {
  library: 'jsonwebtoken + jwks-rsa',
  algorithms: ['RS256', 'ES256'],
  movableClock: true,
  verify: (token, { jwksUri, issuer, audience, algorithm, now }) =>
    new Promise((resolve) => {
      const client = jwksClient({ jwksUri });
      const getKey: GetPublicKeyOrSecret = (header, callback) => {
        client.getSigningKey(header.kid, (err, key) => callback(err, key?.getPublicKey()));
      };
      const options = { issuer, audience, algorithms: [algorithm as jwt.Algorithm], clockTimestamp: epochSeconds(now) };
      jwt.verify(token, getKey, options, (err, decoded) =>
        resolve(err ? failure(err) : { sub: (decoded as JwtPayload).sub! }),
      );
    }),
};
