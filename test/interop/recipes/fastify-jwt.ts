import fastifyJwt, { type TokenOrHeader } from '@fastify/jwt';
import Fastify, { type FastifyRequest } from 'fastify';
import buildGetJwks from 'get-jwks';
import type { Recipe, Verdict } from './recipe.js';

/** @fastify/jwt's README, "Verifying with JWKS": get-jwks finds the key of the token's `iss`. */
export const fastifyJwtRecipe: Recipe = {
  library: '@fastify/jwt + get-jwks',
  algorithms: ['RS256', 'ES256'],
  movableClock: true,
  verify: async (token, { issuer, audience, algorithm, now }) => {
    const fastify = Fastify();
    const getJwks = buildGetJwks({ issuersWhitelist: [issuer] });
    await fastify.register(fastifyJwt, {
      decode: { complete: true },
      secret: (_request: FastifyRequest, decoded: TokenOrHeader) => {
        const {
          header: { kid, alg },
          payload: { iss },
        } = decoded as { header: { kid: string; alg: string }; payload: { iss: string } };
        return getJwks.getPublicKey({ kid, domain: iss, alg });
      },
      verify: {
        allowedIss: issuer,
        allowedAud: audience,
        algorithms: [algorithm],
        ...(now && { clockTimestamp: now.getTime() }),
      },
    });
    fastify.addHook('onRequest', async (request, reply) => {
      try {
        await request.jwtVerify();
      } catch (err) {
        reply.send(err);
      }
    });
    fastify.get('/protected', async (request) => ({ sub: (request.user as { sub: string }).sub }));
    try {
      const response = await fastify.inject({ url: '/protected', headers: { authorization: `Bearer ${token}` } });
      const body = response.json() as { sub: string } | { code: string; message: string };
      return ('sub' in body ? { sub: body.sub } : { error: `${body.code}: ${body.message}` }) satisfies Verdict;
    } finally {
      await fastify.close();
    }
  },
};
